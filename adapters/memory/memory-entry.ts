/** What the memory store holds per task: the frozen record, its events, its push configs. */
import { isTerminal } from '../../core/a2a/task-state';
import type { StoredPushConfig } from '../../core/ports/task-store';
import type { StoredEvent, TaskRecord } from '../../core/task-record';
import type { ReconcileSlot } from '../shared/reconcile-due';

export interface Stamped<T> {
  value: T;
  /** epoch seconds, like TaskRecord.expiresAt */
  expiresAt?: number;
}

export interface Entry {
  /** the key of `tasks` (tenant and id), shared by the eviction order instead of built again */
  key: string;
  /** deep-frozen (immutableCopy): handed out as it is, replaced on every change */
  task: TaskRecord;
  /** each event deep-frozen, like the task */
  events: Stamped<StoredEvent>[];
  configs: Map<string, Stamped<StoredPushConfig>>;
  /** the reconciler index, as DynamoDB's sparse GSI3: indexed while SUBMITTED/WORKING */
  reconcile: ReconcileSlot;
  /** the idempotency records (keys of `messages`) that name this task: evicted with it */
  messageKeys: string[];
}

export const stamp = <T>(value: T, expiresAt: number | undefined): Stamped<T> =>
  expiresAt === undefined ? { value } : { value, expiresAt };

/** Push configs are copied in and out (records and events are frozen instead). */
export const clone = <T>(v: T): T => structuredClone(v);

/** An item whose own TTL (epoch seconds) has passed at `nowMs`. */
export const expiredAt = (expiresAt: number | undefined, nowMs: number): boolean =>
  expiresAt !== undefined && expiresAt * 1000 <= nowMs;

/**
 * A frozen record: `base`'s fields in their order, less those named in `omit`, with each field of
 * `set` that is defined (in place when `base` keeps it, else appended); a field `set` leaves
 * undefined keeps `base`'s value (only `omit` drops one). For a record made by leaving fields
 * out: rest and spread (`const { lease, ...kept } = record; { ...kept, … }`) gave every committed
 * record a fresh hidden class once the site had seen records of several shapes, ~0.5 KB of map
 * and descriptors per stored record, and an object filled key by key turns into a slow
 * dictionary from its 20th field, which a record with every optional field has. Built by
 * Object.fromEntries, records with the same fields share one hidden class (README decision 86).
 * (A spread that only adds a field, `{ ...record, lease }`, shares them as it is.)
 */
export function recordWith(
  base: TaskRecord,
  set: { [K in keyof TaskRecord]?: TaskRecord[K] | undefined },
  omit: readonly (keyof TaskRecord)[] = [],
): TaskRecord {
  const from = base as unknown as Record<string, unknown>;
  const changes = set as Record<string, unknown>;
  const entries: [string, unknown][] = [];
  for (const key of Object.keys(base)) {
    if (omit.includes(key as keyof TaskRecord)) continue;
    entries.push([key, changes[key] !== undefined ? changes[key] : from[key]]);
  }
  for (const key of Object.keys(set)) {
    const kept = key in from && !omit.includes(key as keyof TaskRecord);
    if (!kept && changes[key] !== undefined) entries.push([key, changes[key]]);
  }
  return Object.freeze(Object.fromEntries(entries)) as unknown as TaskRecord;
}

/** The fields a commit sets from `next`; any other field of the record is kept as it was. */
const COMMIT_SETS = ['metadata', 'directReply', 'expiresAt', 'progress', 'submitter', 'lease'] as const;

/**
 * The record a commit stores: the event-derived fields and the ones a commit may set (metadata,
 * directReply, progress, submitter, expiresAt) from `next`; the identity, lease and
 * cancelRequested from `current`. The commit that ends the task ends its lease (the run has
 * nothing left to release).
 */
export function committedRecord(current: TaskRecord, next: TaskRecord): TaskRecord {
  return recordWith(
    current,
    {
      status: next.status,
      artifacts: next.artifacts,
      history: next.history,
      version: next.version,
      lease: isTerminal(next.status.state) ? undefined : current.lease,
      metadata: next.metadata,
      directReply: next.directReply,
      progress: next.progress,
      submitter: next.submitter,
      expiresAt: next.expiresAt,
    },
    COMMIT_SETS,
  );
}
