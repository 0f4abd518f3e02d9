/**
 * What a binding hands its transport (fastify, the Lambda response stream): one JSON answer, or
 * an SSE session to pipe. Both bindings (JSON-RPC, HTTP+JSON) answer in these two shapes, so one
 * transport adapter serves both.
 */
import type { SseSession } from '../streaming/sse-session';

export type JsonOutcome = {
  kind: 'json';
  status: number;
  headers: Record<string, string>;
  /** undefined: no body (204) */
  body: unknown;
};
export type StreamOutcome = { kind: 'stream'; session: SseSession };
export type Outcome = JsonOutcome | StreamOutcome;

export const jsonOutcome = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): JsonOutcome => ({
  kind: 'json',
  status,
  headers,
  body,
});
