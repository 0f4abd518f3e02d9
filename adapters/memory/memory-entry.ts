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
 * The record a commit stores: the event-derived fields and the ones a commit may set (metadata,
 * directReply, progress, submitter, expiresAt) from `next`; the identity, lease and
 * cancelRequested from `current`. The commit that ends the task ends its lease (the run has
 * nothing left to release). Built without `delete`, which would turn every stored record into a
 * dictionary-mode object.
 */
export function committedRecord(current: TaskRecord, next: TaskRecord): TaskRecord {
  const {
    metadata: _metadata,
    directReply: _directReply,
    expiresAt: _expiresAt,
    progress: _progress,
    submitter: _submitter,
    lease,
    ...kept
  } = current;
  const stored: TaskRecord = {
    ...kept,
    status: next.status,
    artifacts: next.artifacts,
    history: next.history,
    version: next.version,
  };
  if (lease !== undefined && !isTerminal(next.status.state)) stored.lease = lease;
  if (next.metadata !== undefined) stored.metadata = next.metadata;
  if (next.directReply !== undefined) stored.directReply = next.directReply;
  if (next.progress !== undefined) stored.progress = next.progress;
  if (next.submitter !== undefined) stored.submitter = next.submitter;
  if (next.expiresAt !== undefined) stored.expiresAt = next.expiresAt;
  return Object.freeze(stored);
}
