/**
 * The single-table key schema (README, Decisions: key schema). Every key starts with the tenant.
 * Tenant and ids are escaped (`%` -> `%25`, `#` -> `%23`) so that no value can forge another
 * tenant's or another kind's key: `#` only ever separates key segments.
 */
export const GSI1 = 'GSI1';
export const GSI2 = 'GSI2';
/** Sparse, system-wide: the reconciler's due SUBMITTED/WORKING tasks (reconcile-index.ts). */
export const GSI3 = 'GSI3';
/**
 * Sparse, per tenant: the tenant's SUBMITTED tasks by status time, counted for the queued-work cap
 * (queued-count.ts) and listed by ListTasks while they are queued (list-tasks.ts), which is why a
 * SUBMITTED task has no GSI1/GSI2 entry yet (README decision 84). It replaced the keys-only GSI4.
 */
export const GSI5 = 'GSI5';

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

/**
 * Write sharding of the index keys a busy tenant writes most (README, Decisions: sharded index
 * keys). An index partition key whose sort key always grows (a status timestamp, a due time)
 * stays on one partition, about 1,000 WRU/s: a task writes 1 WRU to its GSI1 key when it leaves
 * SUBMITTED and 2 at its next status change (3 for a run with its own WORKING commit, README
 * decision 84), and 2 to its GSI5 key, so one key would cap one (tenant, agent) near 330 tasks/s
 * and one tenant's queue near 500. A task's entry goes to shard `hash(tenant, taskId) % shards`,
 * fixed for the task's life; readers query every shard and merge (sharded-query.ts). Shard 0 is
 * the unsuffixed key, so a table written before sharding reads as shard 0. Raising a count later
 * is safe (readers query 0..n-1, which includes every shard an item was written to); lowering one
 * hides the items of the dropped shards from lists and from the queued count: never lower it.
 */
export const SHARDS = {
  /** GSI1: 8 × ~330 tasks/s per (tenant, agent); a ListTasks page costs a Query per shard */
  agentList: 8,
  /** GSI5: 4 × ~500 tasks/s per tenant; a queued count (per SendMessage under a cap) is 4 Queries */
  queued: 4,
  /** GSI3, system-wide: claims and renewals of all tenants */
  reconcile: 8,
} as const;

/** FNV-1a of tenant and task id: spreads ids evenly, the same in every process and release. */
export function shardOf(tenant: string, taskId: string, shards: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${tenant}\u0000${taskId}`) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}

const sharded = (base: string, shard: number): string => (shard === 0 ? base : `${base}#${shard}`);
const allShards = (base: string, shards: number): string[] =>
  Array.from({ length: shards }, (_, shard) => sharded(base, shard));

const agentBase = (tenant: string, agentId: string): string =>
  `T#${escapeKeyPart(tenant)}#AGENT#${escapeKeyPart(agentId)}`;

/** GSI1 partition of one task: the listable tasks of one agent endpoint of a tenant, one shard. */
export const agentListPk = (tenant: string, agentId: string, taskId: string): string =>
  sharded(agentBase(tenant, agentId), shardOf(tenant, taskId, SHARDS.agentList));

/** Every GSI1 partition of one agent endpoint of a tenant. */
export const agentListPks = (tenant: string, agentId: string): string[] =>
  allShards(agentBase(tenant, agentId), SHARDS.agentList);

/** GSI2 partition: the listable tasks of one context (not sharded: one context is one conversation). */
export const contextListPk = (tenant: string, contextId: string): string =>
  `T#${escapeKeyPart(tenant)}#CTX#${escapeKeyPart(contextId)}`;

const queuedBase = (tenant: string): string => `T#${escapeKeyPart(tenant)}#QUEUED`;

/** GSI5 partition of one task while SUBMITTED (queued, not yet claimed): one shard of its tenant's. */
export const queuedPk = (tenant: string, taskId: string): string =>
  sharded(queuedBase(tenant), shardOf(tenant, taskId, SHARDS.queued));

/**
 * GSI5 sort key: the agent, then the status sort key (`{statusTimestamp}#{taskId}`, as GSI1's), so
 * that ListTasks reads one agent's queued tasks as a key range of each of the tenant's shards
 * instead of filtering the whole queue; the queued-work count reads whole partitions.
 */
export const queuedSk = (agentId: string, statusSort: string): string =>
  `${queuedSkPrefix(agentId)}${statusSort}`;

export const queuedSkPrefix = (agentId: string): string => `${escapeKeyPart(agentId)}#`;

/** Every GSI5 partition of a tenant. */
export const queuedPks = (tenant: string): string[] => allShards(queuedBase(tenant), SHARDS.queued);

/**
 * GSI3 partitions: RECON#<shard>, system-wide, so the index's write load (claims, lease
 * renewals) spreads over SHARDS.reconcile partitions instead of one hot key.
 */
const DUE_DIGITS = 15;

export const reconcilePk = (tenant: string, taskId: string): string =>
  reconcileShardPk(shardOf(tenant, taskId, SHARDS.reconcile));

export const reconcileShardPk = (shard: number): string => `RECON#${shard}`;

export const reconcilePks = (): string[] =>
  Array.from({ length: SHARDS.reconcile }, (_, shard) => reconcileShardPk(shard));

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
