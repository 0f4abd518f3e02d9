import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGuardedFetch } from '../../../adapters/a2a-remote/guarded-fetch';
import { remoteAuth, withRemoteAuth } from '../../../adapters/a2a-remote/remote-auth';
import {
  fileSecretSource,
  SecretMissingError,
  type SecretSource,
} from '../../../adapters/a2a-remote/secret-source';
import {
  RemoteAgentMisconfiguredError,
  RemoteAgentRefusedError,
} from '../../../core/ports/remote-agent-client';
import { testClock } from '../../support/factories';
import { type Handler, type Receiver, startReceiver } from '../../support/webhook-receivers';

const guarded = createGuardedFetch({
  policy: { allowHttpHosts: ['127.0.0.1'] },
  timeoutMs: 2_000,
  maxBodyBytes: 64 * 1024,
  streamIdleMs: 2_000,
  maxStreamBytes: 64 * 1024,
});
const secrets = (values: Record<string, string>): SecretSource => ({
  get: async (id) => {
    const v = values[id];
    if (v === undefined) throw new SecretMissingError(id);
    return v;
  },
});
const json =
  (status: number, body: unknown): Handler =>
  (_req, res) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
async function receiver(handler: Handler): Promise<Receiver> {
  const r = await startReceiver(handler);
  receivers.push(r);
  return r;
}

describe('OAuth client credentials toward a remote agent', () => {
  it('fetches one token with HTTP Basic client auth and reuses it until shortly before it expires', async () => {
    let issued = 0;
    const idp = await receiver((_req, res) =>
      json(200, { access_token: `tok-${++issued}`, token_type: 'Bearer', expires_in: 300 })(_req, res),
    );
    const clock = testClock();
    const auth = remoteAuth(
      {
        type: 'oauth2',
        tokenUrl: `${idp.origin}/token`,
        clientId: 'gw client',
        secretId: 'crm',
        scopes: ['a2a:invoke', 'x'],
      },
      { secrets: secrets({ crm: 's3cret&' }), fetch: guarded, clock },
    );
    expect(await auth.headers()).toEqual({ authorization: 'Bearer tok-1' });
    expect(await auth.headers()).toEqual({ authorization: 'Bearer tok-1' });
    clock.advance(269_000);
    expect(await auth.headers()).toEqual({ authorization: 'Bearer tok-1' });
    clock.advance(2_000);
    expect(await auth.headers()).toEqual({ authorization: 'Bearer tok-2' });
    const first = idp.requests[0];
    expect(first?.headers.authorization).toBe(
      `Basic ${Buffer.from('gw+client:s3cret%26').toString('base64')}`,
    );
    expect(first?.body.toString()).toBe('grant_type=client_credentials&scope=a2a%3Ainvoke+x');
  });

  it('asks for a new token once when the agent answers 401, then reports the refusal', async () => {
    let issued = 0;
    const idp = await receiver((_req, res) =>
      json(200, { access_token: `tok-${++issued}`, expires_in: 3600 })(_req, res),
    );
    const agent = await receiver(json(401, { error: 'expired' }));
    const auth = remoteAuth(
      { type: 'oauth2', tokenUrl: `${idp.origin}/token`, clientId: 'c', secretId: 'crm' },
      { secrets: secrets({ crm: 's' }), fetch: guarded, clock: testClock() },
    );
    const err = await withRemoteAuth(guarded, auth, [agent.origin])(`${agent.origin}/a2a`, {
      method: 'POST',
      body: '{}',
    }).catch((e: unknown) => e);
    expect(err).toEqual(new RemoteAgentRefusedError("refused the gateway's credentials (HTTP 401)"));
    expect(agent.requests.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it('reports a token endpoint that refuses the client as a refusal, not an outage', async () => {
    const idp = await receiver(json(401, { error: 'invalid_client' }));
    const auth = remoteAuth(
      { type: 'oauth2', tokenUrl: `${idp.origin}/token`, clientId: 'c', secretId: 'crm' },
      { secrets: secrets({ crm: 'wrong' }), fetch: guarded, clock: testClock() },
    );
    await expect(auth.headers()).rejects.toThrow(
      'its token endpoint refused the client credentials (HTTP 401)',
    );
  });
});

describe('where the credentials go', () => {
  it('sends nothing to an origin outside the configured ones, and says so', async () => {
    const configured = await receiver(json(200, {}));
    const elsewhere = await receiver(json(200, {}));
    const auth = remoteAuth(
      { type: 'bearer', secretId: 'w' },
      { secrets: secrets({ w: 'the-secret' }), fetch: guarded, clock: testClock() },
    );
    const authed = withRemoteAuth(guarded, auth, [configured.origin]);
    const err = await authed(`${elsewhere.origin}/a2a`, { method: 'POST', body: '{}' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RemoteAgentMisconfiguredError);
    expect((err as Error).message).toContain('outside its configured origins');
    expect(elsewhere.requests).toEqual([]);
    expect((await authed(`${configured.origin}/a2a`, { method: 'POST', body: '{}' })).status).toBe(200);
    expect(configured.requests.map((r) => r.headers.authorization)).toEqual(['Bearer the-secret']);
  });
});

describe('secrets for remote agents in local mode', () => {
  it('reads a bearer token from a file named by the secret id', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'secrets-'));
    await writeFile(join(dir, 'weather-token'), 'abc123\n');
    const auth = remoteAuth(
      { type: 'bearer', secretId: 'weather-token' },
      { secrets: fileSecretSource(dir), fetch: guarded, clock: testClock() },
    );
    expect(await auth.headers()).toEqual({ authorization: 'Bearer abc123' });
  });

  it.each(['../dev-issuer-key.json', 'nested/secret', '.hidden', 'missing'])(
    'refuses the secret id %s, naming only the id',
    async (id) => {
      const dir = await mkdtemp(join(tmpdir(), 'secrets-'));
      await expect(fileSecretSource(dir).get(id)).rejects.toEqual(new SecretMissingError(id));
    },
  );
});
