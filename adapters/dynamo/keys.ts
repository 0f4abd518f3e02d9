/**
 * The single-table key schema (README, Decisions: key schema). Every key starts with the tenant.
 * Tenant and ids are escaped (`%` -> `%25`, `#` -> `%23`) so that no value can forge another
 * tenant's or another kind's key: `#` only ever separates key segments.
 */
export const GSI1 = 'GSI1';
export const GSI2 = 'GSI2';

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

export interface Key {
  PK: string;
  SK: string;
}

export const taskKey = (tenant: string, taskId: string): Key => ({ PK: taskPk(tenant, taskId), SK: TASK_SK });
export const messageKey = (tenant: string, messageId: string): Key => ({
  PK: messagePk(tenant, messageId),
  SK: MESSAGE_SK,
});
