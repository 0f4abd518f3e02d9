/**
 * The local stack in this process (memory store, echo agent), for the latency and push
 * benchmarks: a token, a JSON-RPC helper over real HTTP, and the task's event log (its `at`
 * stamps are the append times the latencies start from).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createLogger } from '../../adapters/logging/logger';
import { ALL_SCOPES } from '../../authorizer/dev-issuer';
import { systemContext } from '../../core/context';
import type { StoredEvent } from '../../core/task-record';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/local-stack';

export const BENCH_TENANT = 'bench';

export interface BenchStack {
  stack: LocalStack;
  url: string;
  headers: Record<string, string>;
  /** POSTs a JSON-RPC request to the echo agent; returns the parsed answer */
  rpc(method: string, params: unknown): Promise<{ result?: Record<string, unknown>; error?: unknown }>;
  events(taskId: string): Promise<StoredEvent[]>;
  stop(): Promise<void>;
}

export async function startBenchStack(overrides: Partial<LocalStackOptions> = {}): Promise<BenchStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-'));
  const stack = await startLocalStack({
    port: 0,
    host: '127.0.0.1',
    store: 'memory',
    dataDir,
    // The default level, written where it costs what stdout costs without a reader.
    logger: createLogger({ level: 'info', destination: pino.destination({ dest: '/dev/null', sync: true }) }),
    ...overrides,
  });
  const token = await stack.issuer.mint({ tenant: BENCH_TENANT, scopes: [...ALL_SCOPES], ttlSeconds: 3600 });
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    'a2a-version': '1.0',
  };
  const ctx = systemContext(BENCH_TENANT, 'bench');
  return {
    stack,
    url: `${stack.url}/agents/echo`,
    headers,
    rpc: jsonRpcCaller(`${stack.url}/agents/echo`, headers),
    events: (taskId) => stack.store.readEvents(ctx, taskId, 0),
    async stop() {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs JSON-RPC requests to `url` (fetch, a fresh id each) and returns the parsed answers. */
export function jsonRpcCaller(url: string, headers: Record<string, string>): BenchStack['rpc'] {
  let id = 0;
  return async (method, params) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
    });
    return (await res.json()) as { result?: Record<string, unknown>; error?: unknown };
  };
}

let sequence = 0;

export const benchMessage = (text = 'hello') => ({
  messageId: `lat-${process.pid}-${++sequence}-${Math.random().toString(36).slice(2, 8)}`,
  role: 'ROLE_USER',
  parts: [{ text }],
});
