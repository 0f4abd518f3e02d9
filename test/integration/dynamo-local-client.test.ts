/**
 * The local stack's DynamoDB client (adapters/dynamo/dynamo-local-client.ts): DynamoDB Local never
 * checks signatures, so the stack sends a fixed SigV4 header instead of signing every request.
 * Seen through a recording proxy in front of the DynamoDB Local of the global setup.
 */
import { mkdtemp } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DYNAMO_LOCAL_AUTHORIZATION } from '../../adapters/dynamo/dynamo-local-client';
import { type LocalStack, startLocalStack } from '../../local/local-stack';
import { echoTaskState } from '../support/echo-over-http';

/** Forwards every request to `target`, keeping each one's Authorization header. */
function recordingProxy(target: URL, seen: string[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    const upstream = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      done({ server, url: `http://127.0.0.1:${port}` });
    }),
  );
}

let stack: LocalStack;
let proxy: Server;
const authorizations: string[] = [];

beforeAll(async () => {
  const recording = await recordingProxy(new URL(inject('dynamoEndpoint')), authorizations);
  proxy = recording.server;
  stack = await startLocalStack({
    port: 0,
    host: '127.0.0.1',
    store: { dynamoEndpoint: recording.url, tableName: `client-${Date.now()}` },
    dataDir: await mkdtemp(join(tmpdir(), 'dynamo-client-')),
    logger: pino({ level: 'silent' }),
  });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  proxy?.close();
});

describe('the local stack on DynamoDB Local', () => {
  it('sends a fixed authorization header instead of signing each request', async () => {
    const token = await stack.issuer.mint({ tenant: 'client', scopes: ['tasks:submit', 'tasks:read'] });
    expect(await echoTaskState(stack.url, token, 'client-1', 'hi')).toBe('TASK_STATE_COMPLETED');
    // table set-up, the send, the worker's run: every request, none signed
    expect(authorizations.length).toBeGreaterThan(5);
    expect(new Set(authorizations)).toEqual(new Set([DYNAMO_LOCAL_AUTHORIZATION]));
  });
});
