/**
 * The single-table key schema (README, Decisions: key schema). Every key starts with the tenant.
 * Tenant and ids are escaped (`%` -> `%25`, `#` -> `%23`) so that no value can forge another
 * tenant's or another kind's key: `#` only ever separates key segments.
 */
export const GSI1 = 'GSI1';
export const GSI2 = 'GSI2';
/** Sparse, system-wide: the reconciler's due SUBMITTED/WORKING tasks (reconcile-index.ts). */
export const GSI3 = 'GSI3';
/** Sparse, per tenant: the tenant's SUBMITTED tasks, counted for the queued-work cap (queued-count.ts). */
export const GSI4 = 'GSI4';

export const TASK_SK = 'TASK';
export const MESSAGE_SK = 'MSG';
export const EVENT_PREFIX = 'EVT#';
export const PUSH_PREFIX = 'PUSH#';
const SEQ_DIGITS = 10;
export const MAX_SEQ = 10 ** SEQ_DIGITS - 1;

export const escapeKeyPart = (value: string): string => value.replaceAll('%', '%25').replaceAll('#', '%23');

/** Partition of one task: its snapshot, its event log and its push configs. */
export const taskPk = (tenant: string, taskId: string): string =>
  `T#${escapeKeyPart(tenant)}#TASK#${escapeKeyPart(taskId)}`;

export const eventSk = (seq: number): string => `${EVENT_PREFIX}${String(seq).padStart(SEQ_DIGITS, '0')}`;

export const pushSk = (configId: string): string => `${PUSH_PREFIX}${escapeKeyPart(configId)}`;

/** Idempotency record of (tenant, messageId). */
export const messagePk = (tenant: string, messageId: string): string =>
  `T#${escapeKeyPart(tenant)}#MSG#${escapeKeyPart(messageId)}`;

/** GSI1 partition: the listable tasks of one agent endpoint of a tenant. */
export const agentListPk = (tenant: string, agentId: string): string =>
  `T#${escapeKeyPart(tenant)}#AGENT#${escapeKeyPart(agentId)}`;

/** GSI2 partition: the listable tasks of one context. */
export const contextListPk = (tenant: string, contextId: string): string =>
  `T#${escapeKeyPart(tenant)}#CTX#${escapeKeyPart(contextId)}`;

/** GSI4 partition: the SUBMITTED (queued, not yet claimed) tasks of a tenant. */
export const queuedPk = (tenant: string): string => `T#${escapeKeyPart(tenant)}#QUEUED`;

/**
 * GSI3 partitions: RECON#<shard>, the shard a hash of tenant and task id, so the index's write
 * load (claims, lease renewals) spreads over RECONCILE_SHARDS partitions instead of one hot key.
 */
export const RECONCILE_SHARDS = 8;
const DUE_DIGITS = 15;

export function reconcilePk(tenant: string, taskId: string): string {
  let h = 0x811c9dc5;
  for (const ch of `${tenant}\u0000${taskId}`) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return reconcileShardPk(h % RECONCILE_SHARDS);
}

export const reconcileShardPk = (shard: number): string => `RECON#${shard}`;

/** GSI3 sort key: the due time (epoch ms, zero-padded so it sorts as a number), tenant, task. */
export const reconcileSk = (dueMs: number, tenant: string, taskId: string): string =>
  `${dueKey(dueMs)}#${escapeKeyPart(tenant)}#${escapeKeyPart(taskId)}`;

export const dueKey = (dueMs: number): string =>
  String(Math.max(0, Math.floor(dueMs))).padStart(DUE_DIGITS, '0');

export interface Key {
  PK: string;
  SK: string;
}

export const taskKey = (tenant: string, taskId: string): Key => ({ PK: taskPk(tenant, taskId), SK: TASK_SK });
export const messageKey = (tenant: string, messageId: string): Key => ({
  PK: messagePk(tenant, messageId),
  SK: MESSAGE_SK,
});
