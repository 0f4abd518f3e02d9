/**
 * Slow clients on a real loopback server: a request must arrive within its bounds (408 beyond),
 * one tenant's slow bodies hold only that tenant's share of the in-flight slots, and a stream that
 * outlives the request bound is not cut by it.
 */

import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { gatewayHarness, type Harness, type HarnessOptions, userMessage } from '../support/gateway-harness';
import { readSse, type SseItem } from '../support/sse';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function listening(o: HarnessOptions): Promise<{ h: Harness; port: number }> {
  h = await gatewayHarness({}, o);
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  return { h, port: (h.app.server.address() as AddressInfo).port };
}

interface SlowClient {
  socket: Socket;
  /** everything the server wrote, once it closed the connection (or `waitMs` passed) */
  answer(waitMs: number): Promise<string>;
  answered(): boolean;
}

/**
 * A client that sends its headers (or only part of them) and then trickles the body one byte at a
 * time, never finishing it, as the attacker did.
 */
function slowClient(
  port: number,
  token: string,
  o: { headersOnly?: boolean; trickleMs?: number } = {},
): SlowClient {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  let closed = false;
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => {
    received += d;
  });
  socket.on('error', () => undefined);
  const done = new Promise<void>((resolve) =>
    socket.on('close', () => {
      closed = true;
      resolve();
    }),
  );
  const head =
    'POST /agents/conformance HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
    `A2A-Version: 1.0\r\nAuthorization: Bearer ${token}\r\nContent-Length: 4096\r\n`;
  // Headers only: a last header whose value never ends; otherwise a body that never ends.
  socket.write(o.headersOnly ? `${head}X-Slow: ` : `${head}\r\n{`);
  const trickle = setInterval(() => {
    if (!socket.destroyed) socket.write(o.headersOnly ? 'a' : ' ');
  }, o.trickleMs ?? 50);
  socket.on('close', () => clearInterval(trickle));
  return {
    socket,
    answered: () => received.length > 0,
    async answer(waitMs) {
      await Promise.race([done, new Promise((r) => setTimeout(r, waitMs))]);
      clearInterval(trickle);
      if (!closed) socket.destroy();
      return received;
    },
  };
}

const statusOf = (raw: string) => Number(raw.slice(9, 12));
const bodyOf = (raw: string) =>
  JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as {
    id: null;
    error: { code: number; data: { reason: string }[] };
  };

describe('request bounds on a real server', () => {
  it('answers 408 with a JSON-RPC error to a body that does not arrive within the request bound', async () => {
    const { h, port } = await listening({ bounds: { requestTimeouts: { headersMs: 300, requestMs: 600 } } });
    const raw = await slowClient(port, await h.token()).answer(5_000);
    expect(statusOf(raw), raw).toBe(408);
    expect(raw.toLowerCase()).toContain('connection: close');
    expect(bodyOf(raw)).toMatchObject({
      id: null,
      error: { code: -32600, data: [{ reason: 'REQUEST_TIMEOUT' }] },
    });
  });

  it('answers 408 to headers that do not arrive within the header bound', async () => {
    const { h, port } = await listening({ bounds: { requestTimeouts: { headersMs: 300, requestMs: 600 } } });
    const raw = await slowClient(port, await h.token(), { headersOnly: true }).answer(5_000);
    expect(statusOf(raw), raw).toBe(408);
    expect(bodyOf(raw).error.data[0]?.reason).toBe('REQUEST_TIMEOUT');
  });

  it("serves another tenant while one tenant's slow bodies hold only that tenant's share of the slots", async () => {
    const { h, port } = await listening({
      bounds: { overload: { maxInFlight: 8, maxInFlightPerTenant: 3 } },
    });
    const attacker = await h.token({ tenant: 'attacker' });
    const slow = Array.from({ length: 12 }, () => slowClient(port, attacker));
    try {
      // Beyond its share the attacker is refused at once, before its body is read.
      for (let i = 0; i < 200 && slow.filter((c) => c.answered()).length < 9; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const res = await fetch(`http://127.0.0.1:${port}/agents/conformance`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'a2a-version': '1.0',
          authorization: `Bearer ${await h.token({ tenant: 'victim' })}`,
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'SendMessage',
          params: { message: userMessage('hi'), configuration: { returnImmediately: true } },
        }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { result?: { task?: unknown } }).result?.task).toBeDefined();
      const refused = slow.filter((c) => c.answered());
      expect(refused).toHaveLength(9);
      const raw = await refused[0]?.answer(2_000);
      expect(statusOf(raw ?? ''), raw).toBe(429);
      expect(refused.every((c) => c.socket.destroyed || c.socket.readableEnded)).toBe(true);
    } finally {
      for (const c of slow) c.socket.destroy();
    }
  });

  it('leaves an SSE stream open for longer than the request bound', async () => {
    const { h, port } = await listening({
      bounds: { requestTimeouts: { headersMs: 100, requestMs: 200 } },
      streaming: { heartbeatMs: 50 },
    });
    const url = `http://127.0.0.1:${port}/agents/conformance`;
    const headers = {
      'content-type': 'application/json',
      'a2a-version': '1.0',
      authorization: `Bearer ${await h.token()}`,
    };
    const rpc = (method: string, params: unknown) =>
      fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      });
    const message = userMessage('go', { messageId: `tck-complete-task-${Date.now()}` });
    const sent = await rpc('SendMessage', { message, configuration: { returnImmediately: true } });
    const taskId = ((await sent.json()) as { result: { task: { id: string } } }).result.task.id;
    const stream = await rpc('SubscribeToTask', { id: taskId });
    const items: SseItem[] = [];
    const reading = (async () => {
      for await (const item of readSse(stream)) items.push(item);
    })();
    // Three times the request bound, with heartbeats flowing, then the task finishes.
    await new Promise((r) => setTimeout(r, 600));
    expect(items.filter((i) => i.kind === 'comment').length).toBeGreaterThan(1);
    await h.drain();
    await reading;
    const last = items.filter((i) => i.kind === 'event').at(-1);
    const data = JSON.parse(last?.kind === 'event' ? last.event.data : '{}');
    expect(data.result.statusUpdate.status.state).toBe('TASK_STATE_COMPLETED');
  });
});
