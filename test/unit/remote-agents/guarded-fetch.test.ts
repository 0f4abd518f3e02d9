import { afterEach, describe, expect, it } from 'vitest';
import { createGuardedFetch, type GuardedFetchOptions } from '../../../adapters/a2a-remote/guarded-fetch';
import type { Resolver } from '../../../adapters/net/outbound-url';
import { InvalidAgentResponseError } from '../../../core/errors';
import {
  RemoteAgentRefusedError,
  RemoteAgentUnavailableError,
} from '../../../core/ports/remote-agent-client';
import { type Handler, type Receiver, refusedPort, startReceiver } from '../../support/webhook-receivers';

const options: GuardedFetchOptions = {
  policy: { allowHttpHosts: ['127.0.0.1'] },
  timeoutMs: 300,
  maxBodyBytes: 1024,
  streamIdleMs: 300,
  maxStreamBytes: 4096,
};
const guarded = (o: Partial<GuardedFetchOptions> = {}) => createGuardedFetch({ ...options, ...o });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
async function receiver(handler?: Handler): Promise<Receiver> {
  const r = await startReceiver(handler);
  receivers.push(r);
  return r;
}

describe('the guarded fetch for remote agents', () => {
  it('reaches an allowed host and hands back status, headers and body', async () => {
    const r = await receiver((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":1}'),
    );
    const res = await guarded()(`${r.origin}/card`, {
      method: 'POST',
      body: '{"q":1}',
      headers: { 'x-a': 'b' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: 1 });
    expect(r.requests[0]).toMatchObject({ method: 'POST', url: '/card', headers: { 'x-a': 'b' } });
    expect(r.requests[0]?.body.toString()).toBe('{"q":1}');
  });

  it.each([
    ['https://169.254.169.254/latest/meta-data', '169.254.169.254 is a link-local address'],
    ['https://10.0.0.7/a2a', '10.0.0.7 is a private address'],
    ['http://example.com/a2a', 'plain http is not allowed'],
  ])('refuses %s before connecting', async (url, reason) => {
    const err = await failure(guarded()(url));
    expect(err).toBeInstanceOf(RemoteAgentRefusedError);
    expect((err as Error).message).toContain(reason);
  });

  it('refuses a name that resolves to an internal address, and never resolves twice for one call', async () => {
    const lookups: string[] = [];
    const resolver: Resolver = async (host) => {
      lookups.push(host);
      return [{ address: '192.168.0.9', family: 4 }];
    };
    const err = await failure(guarded({ resolver })('https://agent.example.com/a2a'));
    expect((err as Error).message).toBe(
      'URL refused: agent.example.com resolves to a private address (192.168.0.0/16)',
    );
    expect(lookups).toEqual(['agent.example.com']);
  });

  it('does not follow a redirect', async () => {
    const r = await receiver((_req, res) =>
      res.writeHead(302, { location: 'http://169.254.169.254/' }).end(),
    );
    const err = await failure(guarded()(`${r.origin}/a2a`));
    expect(err).toBeInstanceOf(RemoteAgentRefusedError);
    expect(r.requests).toHaveLength(1);
  });

  it.each([503, 429])('reports HTTP %i as unavailable (worth a retry)', async (status) => {
    const r = await receiver((_req, res) => res.writeHead(status).end('busy'));
    expect(await failure(guarded()(`${r.origin}/a2a`))).toEqual(
      new RemoteAgentUnavailableError(`answered HTTP ${status}`),
    );
  });

  it('reports a host that does not answer in time, and one that refuses connections, as unavailable', async () => {
    const silent = await receiver(() => undefined);
    expect(await failure(guarded()(`${silent.origin}/a2a`))).toEqual(
      new RemoteAgentUnavailableError('did not answer within 300 ms'),
    );
    expect(await failure(guarded()(`http://127.0.0.1:${await refusedPort()}/a2a`))).toEqual(
      new RemoteAgentUnavailableError('could not be reached (ECONNREFUSED)'),
    );
  });

  it('refuses a body larger than the bound as an invalid response', async () => {
    const r = await receiver((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('x'.repeat(5000)),
    );
    const err = await failure(guarded()(`${r.origin}/a2a`));
    expect(err).toBeInstanceOf(InvalidAgentResponseError);
  });

  it('cuts an event stream that stays silent', async () => {
    const r = await receiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {}\n\n');
    });
    const res = await guarded()(`${r.origin}/a2a`);
    expect(await failure(res.text())).toEqual(new RemoteAgentUnavailableError('stream silent for 300 ms'));
  });

  it('stops at once when the caller aborts', async () => {
    const silent = await receiver(() => undefined);
    const controller = new AbortController();
    const pending = failure(
      guarded({ timeoutMs: 10_000 })(`${silent.origin}/a2a`, { signal: controller.signal }),
    );
    controller.abort(new Error('run stopped: canceled'));
    expect(await pending).toEqual(new Error('run stopped: canceled'));
  });
});
