/**
 * The one table from typed errors to JSON-RPC codes covers every ErrorInfo reason: each reason an
 * A2AError can carry reaches the caller with its A2A code, never as a -32603 internal error.
 * Two are answered before the table: RESOURCE_EXHAUSTED (429, its own branch) and
 * PERMISSION_DENIED (HTTP 403 by the transport).
 */
import { describe, expect, it } from 'vitest';
import { A2AError, A2AErrorReason, TenantQueueFullError } from '../../../core/errors';
import { CODE_BY_REASON, JsonRpcCode, toJsonRpcError } from '../../../gateway/json-rpc/error-codes';

const withReason = (reason: A2AErrorReason): A2AError =>
  new (class extends A2AError {
    override readonly name = 'ProbeError';
    readonly reason = reason;
  })(`probe ${reason}`);

const ANSWERED_ELSEWHERE: readonly string[] = [
  A2AErrorReason.ResourceExhausted,
  A2AErrorReason.PermissionDenied,
];

describe('CODE_BY_REASON', () => {
  it('has a code for every reason but the two answered before it', () => {
    const unmapped = Object.values(A2AErrorReason).filter(
      (r) => !Object.hasOwn(CODE_BY_REASON, r) && !ANSWERED_ELSEWHERE.includes(r),
    );
    expect(unmapped).toEqual([]);
  });

  it.each(Object.entries(CODE_BY_REASON))(
    'answers %s with code %i, not as an internal error',
    (reason, code) => {
      const { error, internal } = toJsonRpcError(withReason(reason as A2AErrorReason));
      expect(internal).toBe(false);
      expect(error.code).toBe(code);
      expect(error.data[0]).toMatchObject({ reason });
    },
  );

  it('answers RESOURCE_EXHAUSTED with -32603, 429 and Retry-After', () => {
    const { error, internal, http } = toJsonRpcError(new TenantQueueFullError(5, 7));
    expect({ code: error.code, internal, http }).toEqual({
      code: JsonRpcCode.Internal,
      internal: false,
      http: { status: 429, headers: { 'retry-after': '7' } },
    });
  });
});
