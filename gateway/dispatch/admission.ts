/**
 * Admission, the checks every A2A request passes before its binding reads the body: the agent
 * exists (404) and the token may use it (403), and a body comes as JSON. The answers are
 * HTTP-level google.rpc.Status bodies, the same for JSON-RPC and HTTP+JSON.
 */
import type { Principal } from '../../core/context';
import { mayUseAgent } from '../../core/scopes';
import type { GatewayDeps } from '../gateway-deps';
import { forbidden, unknownAgentBody } from '../http-errors';
import type { Headers } from '../rpc/protocol-version';
import { type JsonOutcome, jsonOutcome } from './outcome';

export function admitAgent(
  deps: GatewayDeps,
  agentId: string,
  principal: Principal,
): JsonOutcome | undefined {
  if (!deps.useCases.agents.get(agentId)) return jsonOutcome(404, unknownAgentBody(agentId));
  if (!mayUseAgent(principal.scopes, agentId)) return forbidden(`agent:${agentId}`);
  return undefined;
}

const JSON_TYPES = new Set(['application/json', 'application/a2a+json']);

/** The body's media type, lowercase without parameters; '' when there is no Content-Type. */
export function mediaTypeOf(headers: Headers): string {
  const raw = headers['content-type'];
  return (typeof raw === 'string' ? raw : '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export const isJsonMediaType = (mediaType: string): boolean => JSON_TYPES.has(mediaType);

/** The refusal's message: which media types are accepted, and what came. */
export const contentTypeMessage = (mediaType: string): string =>
  `Content-Type must be application/json or application/a2a+json (got ${mediaType === '' ? 'none' : JSON.stringify(mediaType.slice(0, 100))})`;
