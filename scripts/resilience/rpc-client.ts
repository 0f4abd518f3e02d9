/** A JSON-RPC client for the resilience scenarios: real HTTP on loopback, the HTTP status kept. */

export interface RpcAnswer {
  status: number;
  headers: Headers;
  body: {
    id?: unknown;
    result?: Record<string, unknown>;
    error?: {
      code: number;
      message: string;
      data?: { reason?: string; metadata?: Record<string, string> }[];
    };
  };
}

export async function postRpc(
  url: string,
  token: string,
  method: string,
  params: unknown,
  id: number | string = 1,
): Promise<RpcAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'a2a-version': '1.0' },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
  });
  const text = await res.text();
  let body: RpcAnswer['body'];
  try {
    body = JSON.parse(text) as RpcAnswer['body'];
  } catch {
    body = {};
  }
  return { status: res.status, headers: res.headers, body };
}

/** The ErrorInfo reason of a JSON-RPC error answer, if any. */
export const reasonOf = (a: RpcAnswer): string | undefined =>
  a.body.error?.data?.find((d) => d.reason)?.reason;

/** Runs `worker` for each index in [0, n) with at most `concurrency` at a time. */
export async function forEachLimited(
  n: number,
  concurrency: number,
  worker: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const loop = async () => {
    for (let i = next++; i < n; i = next++) await worker(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, loop));
}

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
