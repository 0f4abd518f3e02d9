/**
 * One line for whatever stopped an `npm run a2a` command (exit 1): an A2A error with its JSON-RPC
 * code and message, a gateway that cannot be reached, or an HTTP failure the SDK reports.
 */

/** The JSON-RPC error code the SDK's error classes carry (`envelopeCode`), if any. */
export function a2aCode(err: unknown): number | undefined {
  const code = (err as { envelopeCode?: unknown } | undefined)?.envelopeCode;
  if (typeof code === 'number') return code;
  // An error inside an SSE stream arrives wrapped, with the typed error as its cause.
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  return cause && cause !== err ? a2aCode(cause) : undefined;
}

/** The system error code (ECONNREFUSED, …) or reason under a failed fetch or a cut stream, if any. */
export function networkCode(err: unknown): string | undefined {
  const chain: unknown[] = [];
  for (let e = err; e && chain.length < 5 && !chain.includes(e); e = (e as { cause?: unknown }).cause)
    chain.push(e);
  for (const e of chain) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  }
  // undici's own words for a connection that failed or was cut, without a system code
  const said = chain.map((e) => (e instanceof Error ? e.message : ''));
  if (said.some((m) => m === 'terminated' || m === 'other side closed')) return 'ECONNRESET';
  return said[0] === 'fetch failed' ? (said.at(-1) ?? 'fetch failed') : undefined;
}

/** The network failures after which a stream is resumed rather than given up. */
export const isDroppedConnection = (err: unknown): boolean =>
  a2aCode(err) === undefined && networkCode(err) !== undefined;

export interface Where {
  url: string;
  agentId: string;
}

export function describeError(err: unknown, where: Where): string {
  const code = a2aCode(err);
  if (code !== undefined) {
    const typed = typedCause(err);
    const hint =
      code === -32001
        ? ` (tasks belong to the agent they were sent to: is it --agent ${where.agentId}?)`
        : '';
    return `A2A error ${code}: ${typed.message}${hint}`;
  }
  const net = networkCode(err);
  if (net === 'ECONNREFUSED')
    return `cannot reach ${where.url} (connection refused): is the stack running? npm start`;
  if (net) return `cannot reach ${where.url} (${net})`;
  const message = err instanceof Error ? err.message : String(err);
  const card = /^Failed to fetch Agent Card from (\S+): (\d+)/.exec(message);
  if (card?.[2] === '404')
    return `no agent "${where.agentId}" at ${where.url} (GET ${where.url}/agents lists them)`;
  if (card) return `could not read the agent card at ${card[1]} (HTTP ${card[2]})`;
  const http = /^HTTP error[^!:]*[!:] (?:Status: )?(\d{3})/.exec(message);
  if (http)
    return `HTTP ${http[1]}: ${gatewayMessage(message) ?? HTTP_HINTS[http[1] ?? ''] ?? 'the gateway refused the call'}`;
  return (message.split('\n')[0] ?? message).slice(0, 300);
}

const HTTP_HINTS: Record<string, string> = {
  '401': 'the gateway refused the token (expired, or minted with another dev key?)',
  '403': 'the token lacks the scope for this call',
};

/** The `error.message` of the body the SDK quotes after "Response: ", if it is JSON. */
function gatewayMessage(sdkMessage: string): string | undefined {
  const at = sdkMessage.indexOf('Response: ');
  if (at === -1) return undefined;
  try {
    const body = JSON.parse(sdkMessage.slice(at + 'Response: '.length)) as { error?: { message?: unknown } };
    return typeof body.error?.message === 'string' ? body.error.message : undefined;
  } catch {
    return undefined;
  }
}

function typedCause(err: unknown): Error {
  const e = err as { envelopeCode?: unknown; cause?: unknown };
  if (typeof e.envelopeCode === 'number' || !(e.cause instanceof Error)) return err as Error;
  return typedCause(e.cause);
}
