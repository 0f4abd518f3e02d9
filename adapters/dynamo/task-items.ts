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

import { isTerminal, TaskState } from '../../core/a2a/task-state';
import type { StoredPushConfig } from '../../core/ports/task-store';
import type { StoredEvent, TaskRecord } from '../../core/task-record';
import { statusSortKey } from '../shared/list-page-token';
import { dueAfterCommit, dueOnCreate, isReconcilable, STALE_SUBMITTED_MS } from '../shared/reconcile-due';
import { decodeBody, encodeBody } from './body-codec';
import {
  agentListPk,
  contextListPk,
  escapeKeyPart,
  eventSk,
  type Key,
  pushSk,
  queuedPk,
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

/** The event-derived part of a record: what a commit replaces (body-codec.ts: how it is stored). */
export function taskBody(record: TaskRecord): string | Uint8Array {
  const body: TaskBody = { status: record.status, artifacts: record.artifacts, history: record.history };
  if (record.metadata !== undefined) body.metadata = record.metadata;
  if (record.directReply !== undefined) body.directReply = record.directReply;
  if (record.progress !== undefined) body.progress = record.progress;
  if (record.submitter !== undefined) body.submitter = record.submitter;
  return encodeBody(JSON.stringify(body));
}

/** GSI keys; none for a direct reply, which ListTasks never shows (sparse indexes). */
function indexKeys(tenant: string, record: TaskRecord): Item {
  if (record.directReply !== undefined) return {};
  const sort = statusSortKey(record);
  const keys: Item = {
    GSI1PK: agentListPk(tenant, record.agentId, record.id),
    GSI1SK: sort,
    GSI2PK: contextListPk(tenant, record.contextId),
    GSI2SK: sort,
  };
  if (isReconcilable(record.status.state)) {
    keys.GSI3PK = reconcilePk(tenant, record.id);
    keys.GSI3SK = reconcileSk(dueOnCreate(record), tenant, record.id);
  }
  if (isQueued(record)) {
    keys.GSI4PK = queuedPk(tenant, record.id);
    keys.GSI4SK = escapeKeyPart(record.id);
  }
  return keys;
}

/**
 * The snapshot update of a commit: the event-derived fields, version, TTL and index sort keys,
 * conditional on the expected version of a live task. Identity and cancelRequested are never
 * written, the lease only removed by the commit that ends the task (its run has nothing left to
 * release); the index partition keys are set once by create (removed for a direct reply).
 */
export function commitUpdate(
  taskId: string,
  next: TaskRecord,
  expectedVersion: number,
  nowSeconds: number,
  unlessCancelRequested = false,
) {
  const sort = statusSortKey({ status: next.status, createdAt: next.createdAt, id: taskId });
  const set = ['#body = :body', '#state = :state', '#version = :version'];
  const remove: string[] = [];
  const names: Record<string, string> = {
    '#body': 'body',
    '#state': 'state',
    '#version': 'version',
    '#exp': 'expiresAt',
  };
  const values: Record<string, unknown> = {
    ':body': taskBody(next),
    ':state': next.status.state,
    ':version': next.version,
    ':expected': expectedVersion,
    ':now': nowSeconds,
  };
  if (isTerminal(next.status.state)) {
    names['#lease'] = 'lease';
    remove.push('#lease');
  }
  if (next.expiresAt === undefined) remove.push('#exp');
  else {
    set.push('#exp = :exp');
    values[':exp'] = next.expiresAt;
  }
  names['#g1sk'] = 'GSI1SK';
  names['#g2sk'] = 'GSI2SK';
  reconcileUpdate(taskId, next, nowSeconds * 1000, { set, remove, names, values });
  queuedUpdate(taskId, next, { set, remove, names, values });
  if (next.directReply === undefined) {
    set.push('#g1sk = :sort', '#g2sk = :sort');
    values[':sort'] = sort;
  } else {
    names['#g1pk'] = 'GSI1PK';
    names['#g2pk'] = 'GSI2PK';
    remove.push('#g1pk', '#g1sk', '#g2pk', '#g2sk');
  }
  return {
    UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
    // A commit from a read without hasPush fails once a push config exists (see TaskRecord.hasPush).
    ConditionExpression: `#version = :expected AND (attribute_not_exists(#exp) OR #exp > :now)${
      next.hasPush ? '' : ' AND attribute_not_exists(hasPush)'
    }${unlessCancelRequested ? ' AND attribute_not_exists(cancelRequested)' : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** A task waiting for a worker: in GSI4, counted against the tenant's queued-work cap. */
const isQueued = (record: TaskRecord): boolean =>
  record.status.state === TaskState.Submitted && record.directReply === undefined;

/**
 * GSI4 part of a commit: in the index while SUBMITTED. Removing absent keys, or setting the same
 * ones again, writes nothing to the index: it costs 1 WRU when a task enters SUBMITTED and 1 when
 * it leaves.
 */
function queuedUpdate(
  taskId: string,
  next: TaskRecord,
  u: { set: string[]; remove: string[]; names: Record<string, string>; values: Record<string, unknown> },
): void {
  u.names['#g4pk'] = 'GSI4PK';
  u.names['#g4sk'] = 'GSI4SK';
  if (!isQueued(next)) {
    u.remove.push('#g4pk', '#g4sk');
    return;
  }
  u.set.push('#g4pk = :g4pk', '#g4sk = :g4sk');
  u.values[':g4pk'] = queuedPk(next.tenant, taskId);
  u.values[':g4sk'] = escapeKeyPart(taskId);
}

/** GSI3 (reconciler index) part of a commit: see adapters/shared/reconcile-due.ts. */
function reconcileUpdate(
  taskId: string,
  next: TaskRecord,
  nowMs: number,
  u: { set: string[]; remove: string[]; names: Record<string, string>; values: Record<string, unknown> },
): void {
  u.names['#g3pk'] = 'GSI3PK';
  u.names['#g3sk'] = 'GSI3SK';
  const due = next.directReply === undefined ? dueAfterCommit(next.status.state, nowMs) : undefined;
  if (due === undefined) {
    u.remove.push('#g3pk', '#g3sk');
    return;
  }
  u.set.push('#g3pk = :g3pk');
  u.values[':g3pk'] = reconcilePk(next.tenant, taskId);
  if (due === 'keep') {
    u.set.push('#g3sk = if_not_exists(#g3sk, :g3sk)');
    u.values[':g3sk'] = reconcileSk(nowMs + STALE_SUBMITTED_MS, next.tenant, taskId);
  } else {
    u.set.push('#g3sk = :g3sk');
    u.values[':g3sk'] = reconcileSk(due, next.tenant, taskId);
  }
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

export function fromTaskItem(item: Item): TaskRecord {
  const body = JSON.parse(decodeBody(item.body)) as TaskBody;
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
  return record;
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
