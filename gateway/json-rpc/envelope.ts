/** JSON-RPC 2.0 envelope parsing: raw body -> request, or a precise error. */
import secureJson from 'secure-json-parse';
import { JsonRpcCode, type JsonRpcErrorObject, jsonRpcError } from './error-codes';

export type JsonRpcId = string | number | null;

export interface JsonRpcRequest {
  id: JsonRpcId;
  method: string;
  params: unknown;
  /**
   * no `id` member: a notification. Not served (-32600), but only once the method and params
   * are known to be valid, so a malformed one gets the precise error (-32601/-32602) first.
   */
  notification: boolean;
}

export type EnvelopeResult =
  | { ok: true; request: JsonRpcRequest }
  | { ok: false; id: JsonRpcId; error: JsonRpcErrorObject };

const invalid = (id: JsonRpcId, message: string): EnvelopeResult => ({
  ok: false,
  id,
  error: jsonRpcError(JsonRpcCode.InvalidRequest, message, 'INVALID_REQUEST'),
});

export const MAX_DEPTH = 64;

/** JSON text -> value with prototype-poisoning keys (__proto__, constructor.prototype) removed. */
export function parseJson(raw: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return {
      ok: true,
      value: secureJson.parse(raw, undefined, { protoAction: 'remove', constructorAction: 'remove' }),
    };
  } catch {
    return { ok: false };
  }
}

export function parseEnvelope(raw: string): EnvelopeResult {
  const parsed = parseJson(raw);
  if (!parsed.ok) {
    return {
      ok: false,
      id: null,
      error: jsonRpcError(JsonRpcCode.ParseError, 'Parse error: the body is not valid JSON', 'PARSE_ERROR'),
    };
  }
  const body = parsed.value;
  if (Array.isArray(body)) return invalid(null, 'Batch requests are not supported');
  if (typeof body !== 'object' || body === null) return invalid(null, 'The request must be a JSON object');
  const req = body as Record<string, unknown>;
  const rawId = req.id;
  const idOk =
    !('id' in req) ||
    rawId === null ||
    typeof rawId === 'string' ||
    (typeof rawId === 'number' && Number.isFinite(rawId));
  const id: JsonRpcId = idOk && rawId !== undefined ? (rawId as JsonRpcId) : null;
  if (!idOk) return invalid(null, 'id must be a string, a number or null');
  if (req.jsonrpc !== '2.0') return invalid(id, 'jsonrpc must be "2.0"');
  if (typeof req.method !== 'string' || req.method === '')
    return invalid(id, 'method must be a non-empty string');
  if (depth(req.params) > MAX_DEPTH) return invalid(id, `params are nested deeper than ${MAX_DEPTH} levels`);
  return { ok: true, request: { id, method: req.method, params: req.params, notification: !('id' in req) } };
}

/** How deeply a value nests (stops counting past MAX_DEPTH). */
export function depth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) max = d;
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}
