/**
 * A webhook receiver on 127.0.0.1 for the benchmarks: records when each push notification
 * arrived, with the taskId and seq of its signature (not verified here: the push tests do that).
 * `decide` may answer something other than 200 (the resilience suite's flaky receiver).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Arrival {
  taskId: string;
  seq: number;
  /** epoch ms when the body was complete */
  at: number;
  /** the HTTP status this receiver answered (0: it answered nothing) */
  status: number;
}

export interface TimingReceiver {
  url: string;
  arrivals: Arrival[];
  /** `${taskId}#${seq}` → when it first arrived with a 200 (kept as they come: no rescans) */
  firstOk: Map<string, number>;
  close(): Promise<void>;
}

/** What to do with a delivery: answer `status`, hang (never answer), or reset the connection. */
export type Decision = { kind: 'answer'; status: number } | { kind: 'hang' } | { kind: 'reset' };
export type Decide = (claims: { taskId: string; seq: number }) => Decision;

/** The taskId and seq claims of an X-A2A-Signature JWS (payload decoded, signature not checked). */
export function pushClaims(
  header: string | string[] | undefined,
): { taskId: string; seq: number } | undefined {
  const token = Array.isArray(header) ? header[0] : header;
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      taskId?: unknown;
      seq?: unknown;
    };
    return typeof claims.taskId === 'string' && typeof claims.seq === 'number'
      ? { taskId: claims.taskId, seq: claims.seq }
      : undefined;
  } catch {
    return undefined;
  }
}

const ok: Decide = () => ({ kind: 'answer', status: 200 });

export async function startTimingReceiver(decide: Decide = ok): Promise<TimingReceiver> {
  const arrivals: Arrival[] = [];
  const firstOk = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const claims = pushClaims(req.headers['x-a2a-signature']);
      if (!claims) return void res.writeHead(400).end();
      const decision = decide(claims);
      const arrival: Arrival = { ...claims, at: Date.now(), status: 0 };
      arrivals.push(arrival);
      if (decision.kind === 'reset') return void req.socket.destroy();
      if (decision.kind === 'hang') return;
      arrival.status = decision.status;
      const key = `${claims.taskId}#${claims.seq}`;
      if (decision.status === 200 && !firstOk.has(key)) firstOk.set(key, arrival.at);
      res.writeHead(decision.status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    arrivals,
    firstOk,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
