/**
 * `npm run build`: reproducible zips (two builds into different folders, same bytes), each
 * holding index.mjs and the chunks split off it, nothing else, with fixed metadata, a manifest
 * that matches them, and bundles that load in plain Node and answer as their handlers should.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_ENTRIES } from '../../deploy/lambda-entries';
import type { Manifest } from '../../deploy/lambda-manifest';
import { REPO_ROOT } from '../terraform/support/sdk-actions';
import { zipEntries } from './support/zip-entries';

const run = promisify(execFile);
let dir: string;
const outputs: string[] = [];

async function npmBuild(distDir: string): Promise<string> {
  const { stdout } = await run('npm', ['run', '--silent', 'build'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DIST_DIR: distDir },
    timeout: 180_000,
  });
  return stdout;
}

const sha256 = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'a2a-build-'));
  // sequential: two cores, and the second run must not share anything with the first
  outputs.push(await npmBuild(join(dir, 'first')));
  outputs.push(await npmBuild(join(dir, 'second')));
  console.log(outputs[0]);
}, 360_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run build', () => {
  it('prints a size table with every function', () => {
    for (const entry of LAMBDA_ENTRIES)
      expect(outputs[0]).toMatch(new RegExp(`^${entry.name}\\s+[\\d.]+\\s+[\\d.]+\\s+[0-9a-f]{12}$`, 'm'));
  });

  it('builds byte-identical zips and manifest from the same sources', async () => {
    for (const file of [...LAMBDA_ENTRIES.map((e) => `${e.name}.zip`), 'manifest.json']) {
      expect(await sha256(join(dir, 'second', file)), file).toBe(await sha256(join(dir, 'first', file)));
    }
  });

  it('zips index.mjs and every chunk split off it, rw-r--r--, dated 1980-01-01 00:00', async () => {
    for (const entry of LAMBDA_ENTRIES) {
      const zip = await readFile(join(dir, 'first', `${entry.name}.zip`));
      const folder = join(dir, 'first', entry.name);
      const built = (await readdir(folder, { recursive: true }))
        .filter((name) => name.endsWith('.mjs'))
        .sort();
      expect(built).toContain('index.mjs');
      const expected = await Promise.all(
        built.map(async (name) => ({
          name,
          unixMode: 0o100644,
          dosDate: (1 << 5) | 1,
          dosTime: 0,
          size: (await readFile(join(folder, name))).length,
        })),
      );
      expect(zipEntries(zip)).toEqual(expected);
    }
    // the gateway's dynamic imports (the AWS SDK's other credential providers) are chunks of their own
    const gateway = await readdir(join(dir, 'first', 'gateway', 'chunks'));
    expect(gateway.filter((name) => name.endsWith('.mjs')).length).toBeGreaterThan(0);
    // fastify's default schema compilers (ajv, fast-json-stringify) are stand-ins that throw
    const index = await readFile(join(dir, 'first', 'gateway', 'index.mjs'), 'utf8');
    expect(index).toContain('@fastify/ajv-compiler is left out of this bundle');
    expect(index).not.toContain('unknown keyword: "'); // ajv's strict-mode message, when ajv is in
  });

  it('writes a manifest that names each zip, its hash and its handler', async () => {
    const manifest = JSON.parse(await readFile(join(dir, 'first', 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.runtime).toBe('nodejs22.x');
    expect(manifest.functions.map((f) => f.name)).toEqual(LAMBDA_ENTRIES.map((e) => e.name));
    for (const [i, f] of manifest.functions.entries()) {
      expect(f.zip).toBe(`${f.name}.zip`);
      expect(f.sha256).toBe(await sha256(join(dir, 'first', f.zip)));
      expect(f.handler).toBe(`index.${LAMBDA_ENTRIES[i]?.handler}`);
    }
  });
});

/** A value for every env variable an entry lists, enough for its config module to load. */
const DUMMY_ENV: Record<string, string> = {
  TABLE_NAME: 'a2a-gateway-tasks',
  WORK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/a2a-gateway-work',
  PUSH_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/a2a-gateway-push',
  PUSH_SIGNING_SECRET_ID:
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:a2a-gateway/push-signing-keys-AbCdEf',
  PUBLIC_BASE_URL: 'https://a2a.example.com',
  LOG_LEVEL: 'silent',
  AUTH_MODE: 'authorizer',
  AUTH_REVERIFY: 'false',
  AUTH_ISSUER: 'https://issuer.example.com',
  AUTH_AUDIENCE: 'a2a-gateway',
  AUTH_JWKS_URL: 'https://issuer.example.com/.well-known/jwks.json',
  AUTH_TENANT_CLAIM: 'tenant',
  AUTH_ALGORITHMS: 'RS256,ES256',
  AUTH_CLOCK_TOLERANCE_SECONDS: '30',
  AUTH_JWKS_TIMEOUT_MS: '3000',
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: '86400',
  OAUTH_TOKEN_URL: '',
  BLOCKING_TIMEOUT_MS: '25000',
  CANCEL_WAIT_MS: '5000',
  TENANT_MAX_QUEUED_TASKS: '1000',
  PUSH_CONFIGS_PER_TASK_MAX: '10',
  RETENTION_DAYS: '7',
  BODY_LIMIT_BYTES: '1048576',
  LIST_PAGE_MAX_BYTES: '4194304',
  DEFAULT_AGENT_ID: 'echo',
  WEBHOOK_ALLOW_HTTP_HOSTS: '',
  STREAMING_URL: '',
  STREAM_HEARTBEAT_MS: '15000',
  STREAM_MAX_PER_PROCESS: '1000',
  STREAM_MAX_PER_TENANT: '100',
  STREAM_MAX_DURATION_MS: '840000',
  STREAM_DIRECT_REPLY_WAIT_MS: '1500',
  LEASE_SECONDS: '120',
  HEARTBEAT_MS: '2000',
  RESUBSCRIBE_WAIT_MS: '0',
  WORK_VISIBILITY_TIMEOUT_SECONDS: '1800',
  CHECKPOINT_TTL_DAYS: '30',
  MODEL_PROVIDER: 'local',
  BEDROCK_MODEL_ID: 'amazon.nova-lite-v1:0',
  RATES_API_URL: '',
  PUSH_ISSUER: 'https://a2a.example.com',
  PUSH_TIMEOUT_MS: '10000',
  PUSH_SUSPEND_AFTER: '5',
  PUSH_BACKOFF_BASE_SECONDS: '2',
  PUSH_BACKOFF_MAX_SECONDS: '600',
  RECONCILE_MAX_ITEMS: '100',
  RECONCILE_BACKOFF_SECONDS: '300',
  // a remote agent whose card cannot be fetched (.invalid never resolves): cold start goes on
  REMOTE_AGENTS: JSON.stringify([
    {
      id: 'weather',
      cardUrl: 'https://weather.invalid/.well-known/agent-card.json',
      name: 'Weather',
      auth: { type: 'bearer', secretId: 'weather-token' },
    },
  ]),
  REMOTE_AGENTS_ALLOW_HTTP_HOSTS: '',
  REMOTE_AGENT_TIMEOUT_MS: '30000',
  ROUTER_SUBTASK_TIMEOUT_MS: '240000',
};

/** What each known function must answer to a request that needs no AWS call. */
const SMOKE: Record<string, { event: unknown; expected: unknown }> = {
  gateway: {
    event: {
      version: '2.0',
      routeKey: 'GET /health',
      rawPath: '/health',
      rawQueryString: '',
      headers: { host: 'a2a.example.com' },
      requestContext: {
        http: { method: 'GET', path: '/health', sourceIp: '192.0.2.1' },
        requestId: 'r1',
        stage: '$default',
      },
      isBase64Encoded: false,
    },
    expected: { statusCode: 200, body: '{"status":"ok"}' },
  },
  // a function URL request without a token: the streaming function verifies JWTs itself
  'gateway-stream': {
    event: {
      version: '2.0',
      rawPath: '/',
      rawQueryString: '',
      headers: { host: 'abc.lambda-url.us-east-1.on.aws', 'content-type': 'application/json' },
      requestContext: { http: { method: 'POST', path: '/' }, requestId: 'r1' },
      body: '{"jsonrpc":"2.0","id":1,"method":"GetTask","params":{"id":"t"}}',
      isBase64Encoded: false,
    },
    expected: { statusCode: 401 },
  },
  authorizer: {
    event: {
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:us-east-1:1:api/$default/POST/',
      headers: {},
    },
    expected: { isAuthorized: false },
  },
  'agent-worker': {
    event: {
      Records: [
        {
          messageId: 'm1',
          receiptHandle: 'h1',
          body: 'not json',
          attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0' },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:a2a-gateway-work',
          awsRegion: 'us-east-1',
        },
      ],
    },
    expected: { batchItemFailures: [] },
  },
};

/**
 * Runs a bundle's handler in plain Node. The streaming function needs the Lambda runtime's
 * `awslambda` global: a stand-in with its contract (prelude, eight NUL bytes, body) answers
 * { statusCode, headers, body }.
 */
const INVOKE = `
  const { Writable } = await import('node:stream');
  globalThis.awslambda = {
    HttpResponseStream: {
      from(stream, prelude) { stream.write(JSON.stringify(prelude)); stream.write(Buffer.alloc(8)); return stream; },
    },
    streamifyResponse: (handler) => async (event, context) => {
      const chunks = [];
      const stream = new Writable({ write(c, _e, done) { chunks.push(Buffer.from(c)); done(); } });
      const finished = new Promise((resolve) => stream.on('finish', resolve));
      await handler(event, stream, context);
      await finished;
      const all = Buffer.concat(chunks);
      const at = all.indexOf(Buffer.alloc(8));
      return { ...JSON.parse(all.subarray(0, at).toString()), body: all.subarray(at + 8).toString() };
    },
  };
  const [bundle, exportName, event] = process.argv.slice(1);
  const mod = await import(bundle);
  const fn = mod[exportName];
  if (typeof fn !== 'function') throw new Error(exportName + ' is not an exported function');
  const result = event === 'none' ? 'loaded' : await fn(JSON.parse(event), {});
  process.stdout.write('\\nRESULT ' + JSON.stringify(result) + '\\n');
`;

describe('the bundles in plain Node', () => {
  for (const entry of LAMBDA_ENTRIES) {
    it(`${entry.name}: loads, exports ${entry.handler} and answers`, async () => {
      const missing = entry.env.filter((name) => !(name in DUMMY_ENV));
      expect(missing, 'add a dummy value to DUMMY_ENV in test/build/build.test.ts').toEqual([]);
      const env = {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        ...Object.fromEntries(entry.env.map((name) => [name, DUMMY_ENV[name] ?? ''])),
      };
      const smoke = SMOKE[entry.name];
      const bundle = join(dir, 'first', entry.name, 'index.mjs');
      const event = smoke ? JSON.stringify(smoke.event) : 'none';
      const { stdout } = await run(
        process.execPath,
        ['--input-type=module', '-e', INVOKE, bundle, entry.handler, event],
        { env, timeout: 30_000 },
      );
      const result = JSON.parse(stdout.split('\nRESULT ').pop() ?? 'null') as unknown;
      if (smoke) expect(result).toMatchObject(smoke.expected as object);
      else expect(result).toBe('loaded');
    }, 60_000);
  }
});
