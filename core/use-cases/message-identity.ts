/**
 * What makes two SendMessage calls "the same message" (a retry): the same agent, `messageId`,
 * `taskId`, `contextId` and parts. The idempotency key is the messageId plus a digest of the
 * rest, so a messageId reused with other content, on another task or through another agent is a
 * different message and is handled as one; only a true retry finds the first call's task.
 */
import { createHash } from 'node:crypto';
import type { Message } from '../a2a/types';

export function idempotencyKeyOf(agentId: string, message: Message): string {
  const identity = stableJson([agentId, message.taskId ?? null, message.contextId ?? null, message.parts]);
  const digest = createHash('sha256').update(identity).digest('base64url').slice(0, 32);
  return `${message.messageId}#${digest}`;
}

/** JSON with object keys sorted, so that key order on the wire does not change the digest. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
