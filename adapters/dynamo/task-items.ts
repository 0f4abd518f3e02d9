/**
 * TaskRecord, StoredEvent and StoredPushConfig <-> table items.
 *
 * The envelope (ids, state, version, lease, cancel flag, TTL, index keys) is stored as native
 * attributes: conditions, filters and updates work on them. The A2A payload (status, artifacts,
 * history, metadata, direct reply; event and push config bodies) is stored as one JSON string,
 * `body`. Native maps cannot hold every valid JSON document: DynamoDB rejects empty map keys and
 * more than 32 levels of nesting, and the DocumentClient throws on integers beyond 2^53 (common in
 * tool output). A poison payload must not make a task unwritable or unreadable. A large body is
 * stored deflated (body-codec.ts).
 */

import { TaskState } from '../../core/a2a/task-state';
import type { StoredPushConfig } from '../../core/ports/task-store';
import type { StoredEvent, TaskRecord } from '../../core/task-record';
import { statusSortKey } from '../shared/list-page-token';
import { dueOnCreate, isReconcilable } from '../shared/reconcile-due';
import { decodeBody, encodeBody } from './body-codec';
import {
  agentListPk,
  contextListPk,
  eventSk,
  type Key,
  pushSk,
  queuedPk,
  queuedSk,
  reconcilePk,
  reconcileSk,
  taskKey,
  taskPk,
} from './keys';

export type Item = Record<string, unknown>;

/** The primary key of an item read or built here. */
export const itemKey = (item: Item): Key => ({ PK: String(item.PK), SK: String(item.SK) });

type TaskBody = Pick<
  TaskRecord,
  'status' | 'artifacts' | 'history' | 'metadata' | 'directReply' | 'progress' | 'submitter'
>;

/**
 * The event-derived part of a record: what a commit replaces (body-codec.ts: how it is stored),
 * with the events of the commit that wrote it while they may be missing from the log (`pending`,
 * commit-task.ts). They share one deflated body: an event repeats the record's texts.
 */
export function taskBody(record: TaskRecord, pending: readonly StoredEvent[] = []): string | Uint8Array {
  const body: StoredBody = { status: record.status, artifacts: record.artifacts, history: record.history };
  if (record.metadata !== undefined) body.metadata = record.metadata;
  if (record.directReply !== undefined) body.directReply = record.directReply;
  if (record.progress !== undefined) body.progress = record.progress;
  if (record.submitter !== undefined) body.submitter = record.submitter;
  if (pending.length > 0) body.pending = pending;
  return encodeBody(JSON.stringify(body));
}

type StoredBody = TaskBody & { pending?: readonly StoredEvent[] };

/**
 * GSI keys; none for a direct reply, which ListTasks never shows (sparse indexes). GSI1PK and
 * GSI2PK come from the task's identity and are written once, here; its status's list keys
 * (statusListKeys) put it in GSI5 or in GSI1 and GSI2.
 */
function indexKeys(tenant: string, record: TaskRecord): Item {
  if (record.directReply !== undefined) return {};
  const keys: Item = {
    GSI1PK: agentListPk(tenant, record.agentId, record.id),
    GSI2PK: contextListPk(tenant, record.contextId),
    ...statusListKeys(tenant, record.id, record),
  };
  if (isReconcilable(record.status.state)) {
    keys.GSI3PK = reconcilePk(tenant, record.id);
    keys.GSI3SK = reconcileSk(dueOnCreate(record), tenant, record.id);
  }
  return keys;
}

/** Every key statusListKeys may set: a commit removes those it does not set. */
export const STATUS_LIST_KEYS = ['GSI1SK', 'GSI2SK', 'GSI5PK', 'GSI5SK'] as const;

/**
 * The keys that list a task (not a direct reply) for its status (README decision 84): while it
 * is queued, GSI5's (listed and counted from there alone); after, the sort keys of GSI1 and GSI2,
 * whose partition keys it has had from its create on. An echo task's one status change is then
 * an index put in each, not a put at create and then a move.
 */
export function statusListKeys(
  tenant: string,
  taskId: string,
  record: TaskRecord,
): Partial<Record<(typeof STATUS_LIST_KEYS)[number], string>> {
  const sort = statusSortKey({ status: record.status, createdAt: record.createdAt, id: taskId });
  return isQueued(record)
    ? { GSI5PK: queuedPk(tenant, taskId), GSI5SK: queuedSk(record.agentId, sort) }
    : { GSI1SK: sort, GSI2SK: sort };
}

export function toTaskItem(tenant: string, record: TaskRecord): Item {
  return withoutUndefined({
    ...taskKey(tenant, record.id),
    ...indexKeys(tenant, record),
    tenant,
    id: record.id,
    contextId: record.contextId,
    agentId: record.agentId,
    owner: record.owner,
    createdAt: record.createdAt,
    protocol: record.protocol,
    traceparent: record.traceparent,
    state: record.status.state,
    version: record.version,
    body: taskBody(record),
    lease: record.lease === undefined ? undefined : { owner: record.lease.owner, until: record.lease.until },
    cancelRequested: record.cancelRequested === true ? true : undefined,
    hasPush: record.hasPush === true ? true : undefined,
    expiresAt: record.expiresAt,
  });
}

/** A task waiting for a worker: in GSI5, listed from there and counted for the queued-work cap. */
export const isQueued = (record: TaskRecord): boolean =>
  record.status.state === TaskState.Submitted && record.directReply === undefined;

export const fromTaskItem = (item: Item): TaskRecord => readTaskItem(item).record;

/**
 * A snapshot item's record, and the events of its last commit that the log may still lack
 * (commit-task.ts); none when the log holds every event up to the record's version.
 */
export function readTaskItem(item: Item): { record: TaskRecord; pending: StoredEvent[] } {
  const body = JSON.parse(decodeBody(item.body)) as StoredBody;
  const record: TaskRecord = {
    tenant: str(item.tenant),
    id: str(item.id),
    contextId: str(item.contextId),
    agentId: str(item.agentId),
    owner: str(item.owner),
    status: body.status,
    artifacts: body.artifacts,
    history: body.history,
    version: num(item.version),
    createdAt: str(item.createdAt),
    protocol: item.protocol === '0.3' ? '0.3' : '1.0',
  };
  if (body.metadata !== undefined) record.metadata = body.metadata;
  if (body.directReply !== undefined) record.directReply = body.directReply;
  if (body.progress !== undefined) record.progress = body.progress;
  if (body.submitter !== undefined) record.submitter = body.submitter;
  const lease = item.lease as { owner?: unknown; until?: unknown } | undefined;
  if (lease !== undefined) record.lease = { owner: str(lease.owner), until: num(lease.until) };
  if (item.cancelRequested === true) record.cancelRequested = true;
  if (item.hasPush === true) record.hasPush = true;
  if (item.expiresAt !== undefined) record.expiresAt = num(item.expiresAt);
  if (item.traceparent !== undefined) record.traceparent = str(item.traceparent);
  return { record, pending: body.pending === undefined ? [] : [...body.pending] };
}

export function toEventItem(tenant: string, taskId: string, event: StoredEvent, expiresAt?: number): Item {
  return withoutUndefined({
    PK: taskPk(tenant, taskId),
    SK: eventSk(event.seq),
    seq: event.seq,
    at: event.at,
    body: encodeBody(JSON.stringify(event.event)),
    expiresAt,
  });
}

export const fromEventItem = (item: Item): StoredEvent => ({
  seq: num(item.seq),
  at: str(item.at),
  event: JSON.parse(decodeBody(item.body)) as StoredEvent['event'],
});

export const configId = (config: StoredPushConfig): string => config.config.id ?? '';

export function toPushItem(
  tenant: string,
  taskId: string,
  config: StoredPushConfig,
  expiresAt?: number,
): Item {
  return withoutUndefined({
    PK: taskPk(tenant, taskId),
    SK: pushSk(configId(config)),
    body: JSON.stringify(config),
    // the delivery cursor, as an attribute so updatePushDelivery can condition on it
    deliveredSeq: config.delivery?.lastDeliveredSeq ?? 0,
    // the subject that registered it, as an attribute so replace and delete can condition on it
    owner: config.owner,
    expiresAt,
  });
}

export const fromPushItem = (item: Item): StoredPushConfig => JSON.parse(str(item.body)) as StoredPushConfig;

/** An item whose own TTL has passed (DynamoDB deletes lazily; DynamoDB Local not reliably). */
export const isExpired = (item: Item, nowMs: number): boolean =>
  typeof item.expiresAt === 'number' && item.expiresAt * 1000 <= nowMs;

/** The DocumentClient throws on undefined values unless configured otherwise; we do not rely on it. */
function withoutUndefined(item: Item): Item {
  for (const key of Object.keys(item)) if (item[key] === undefined) delete item[key];
  return item;
}

function str(value: unknown): string {
  if (typeof value !== 'string') throw new Error(`corrupt task item: expected a string, got ${typeof value}`);
  return value;
}

/** Accepts a DocumentClient configured with wrapNumbers (NumberValue) as well. */
function num(value: unknown): number {
  if (typeof value === 'number') return value;
  const n =
    typeof value === 'bigint' || (typeof value === 'object' && value !== null)
      ? Number(String(value))
      : Number.NaN;
  if (Number.isNaN(n)) throw new Error(`corrupt task item: expected a number, got ${typeof value}`);
  return n;
}
