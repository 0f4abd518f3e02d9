import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ALL_SCOPES,
  createEphemeralDevIssuer,
  DEV_AUDIENCE,
  DEV_ISSUER,
  DEV_KEY_FILE,
  devIssuerVerifier,
  loadOrCreateDevIssuer,
} from '../../authorizer/dev-issuer';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dev-issuer-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('createEphemeralDevIssuer', () => {
  it('mints tokens that the token verifier accepts with the issuer static JWKS', async () => {
    const issuer = await createEphemeralDevIssuer();
    expect(issuer).toMatchObject({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
    const token = await issuer.mint({
      tenant: 'acme',
      subject: 'alice',
      scopes: ['tasks:read'],
      agents: ['echo'],
    });
    expect(await devIssuerVerifier(issuer).verify(token)).toEqual({
      tenant: 'acme',
      subject: 'alice',
      scopes: ['tasks:read', 'agent:echo'],
    });
  });

  it('defaults the subject to dev-user and the lifetime to one hour', async () => {
    const issuer = await createEphemeralDevIssuer();
    const claims = decodeJwt(await issuer.mint({ tenant: 'acme', scopes: ALL_SCOPES }));
    expect(claims).toMatchObject({ sub: 'dev-user', tenant: 'acme', scope: ALL_SCOPES.join(' ') });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
  });

  it('publishes only the public key', async () => {
    const { jwks, kid } = await createEphemeralDevIssuer();
    expect(jwks.keys).toEqual([
      expect.objectContaining({ kty: 'EC', crv: 'P-256', kid, alg: 'ES256', use: 'sig' }),
    ]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('refuses to mint for an empty tenant or a non-positive ttl', async () => {
    const issuer = await createEphemeralDevIssuer();
    await expect(issuer.mint({ tenant: '', scopes: [] })).rejects.toThrow(/tenant/);
    await expect(issuer.mint({ tenant: 'acme', scopes: [], ttlSeconds: 0 })).rejects.toThrow(/ttlSeconds/);
  });

  it('mints tokens up to the default maximum lifetime, which its verifier accepts', async () => {
    const issuer = await createEphemeralDevIssuer();
    const day = await issuer.mint({ tenant: 'acme', scopes: ['tasks:read'], ttlSeconds: 24 * 3600 });
    await expect(devIssuerVerifier(issuer).verify(day)).resolves.toMatchObject({ tenant: 'acme' });
    await expect(issuer.mint({ tenant: 'acme', scopes: [], ttlSeconds: 24 * 3600 + 1 })).rejects.toThrow(
      /ttlSeconds/,
    );
  });

  it('is not accepted by a verifier holding another issuer key', async () => {
    const [mine, theirs] = await Promise.all([createEphemeralDevIssuer(), createEphemeralDevIssuer()]);
    const token = await theirs.mint({ tenant: 'acme', scopes: ['tasks:read'] });
    await expect(devIssuerVerifier(mine).verify(token)).rejects.toMatchObject({ reasonClass: 'signature' });
  });
});

describe('loadOrCreateDevIssuer', () => {
  it('persists the key with mode 0600 and reuses it on the next load', async () => {
    const first = await loadOrCreateDevIssuer(dir);
    const token = await first.mint({ tenant: 'acme', scopes: ['tasks:submit'] });
    const second = await loadOrCreateDevIssuer(dir);
    expect(second.kid).toBe(first.kid);
    expect((await devIssuerVerifier(second).verify(token)).tenant).toBe('acme');
    expect((await stat(join(dir, DEV_KEY_FILE))).mode & 0o777).toBe(0o600);
  });

  it('creates the directory when it does not exist', async () => {
    const nested = join(dir, 'a', 'b');
    await loadOrCreateDevIssuer(nested);
    expect(JSON.parse(await readFile(join(nested, DEV_KEY_FILE), 'utf8'))).toMatchObject({
      kty: 'EC',
      d: expect.any(String),
    });
  });

  it('agrees on one key when first loads race', async () => {
    const issuers = await Promise.all(Array.from({ length: 4 }, () => loadOrCreateDevIssuer(dir)));
    expect(new Set(issuers.map((i) => i.kid)).size).toBe(1);
  });

  it('explains what to do when the key file is corrupt', async () => {
    await writeFile(join(dir, DEV_KEY_FILE), '{"kty":"oct"}');
    await expect(loadOrCreateDevIssuer(dir)).rejects.toThrow(/delete it/);
  });
});

describe('npm run token (scripts/token.ts)', () => {
  const repo = fileURLToPath(new URL('../..', import.meta.url));
  const run = (args: string[]) =>
    promisify(execFile)(join(repo, 'node_modules/.bin/tsx'), [join(repo, 'scripts/token.ts'), ...args], {
      cwd: dir,
      timeout: 20_000,
    });

  it('prints only a token minted with the persisted .local key', async () => {
    const { stdout } = await run([
      '--tenant',
      'globex',
      '--scopes',
      'tasks:read',
      '--sub',
      'bob',
      '--agent',
      'echo',
    ]);
    const token = stdout.trim();
    expect(stdout).toBe(`${token}\n`);
    const issuer = await loadOrCreateDevIssuer(join(dir, '.local'));
    expect(await devIssuerVerifier(issuer).verify(token)).toEqual({
      tenant: 'globex',
      subject: 'bob',
      scopes: ['tasks:read', 'agent:echo'],
    });
  });

  it("refuses a --ttl beyond the verifiers' default maximum lifetime (24 h)", async () => {
    const failure = await run(['--ttl', String(24 * 3600 + 1)]).then(
      () => undefined,
      (err: { code?: number; stderr?: string }) => err,
    );
    expect(failure).toMatchObject({ code: 2 });
    expect(failure?.stderr).toMatch(/--ttl must be a whole number of seconds between 1 and 86400/);
  });

  it('exits 2 with a clear message on bad arguments', async () => {
    const failure = await run(['--ttl', 'soon', '--scopes', 'task:submit']).then(
      () => undefined,
      (err: { code?: number; stdout?: string; stderr?: string }) => err,
    );
    expect(failure).toMatchObject({ code: 2, stdout: '' });
    expect(failure?.stderr).toMatch(/--ttl must be/);
    expect(failure?.stderr).toMatch(/unknown scope "task:submit"/);
  });
});
