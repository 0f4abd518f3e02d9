/**
 * The servers the gateway-overhead benchmark loads: the full gateway (JWT check, envelope and
 * params validation, memory store, a queue whose send costs nothing), and a bare fastify route that
 * parses and echoes the same JSON body (the practical ceiling of any fastify JSON endpoint).
 */
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import pino from 'pino';
import { createLogger } from '../../adapters/logging/logger';
import { MemoryTaskStore } from '../../adapters/memory/memory-task-store';
import {
  busTaskWatcher,
  TaskChangeBus,
  withChangeNotifications,
} from '../../adapters/memory/task-change-bus';
import { createEphemeralDevIssuer, devIssuerVerifier } from '../../authorizer/dev-issuer';
import type { ReceivedMessage, WorkQueue } from '../../core/ports/work-queue';
import { buildApp } from '../../gateway/app';
import { verifyingResolver } from '../../gateway/auth/principal-resolver';
import { rigGatewayDeps } from '../../local/rig-gateway-deps';
import type { StartedServer } from './sdk-reference-server';

/** A work queue whose send only counts: the gateway's cost without SQS's. */
export class CountingQueue implements WorkQueue {
  sent = 0;
  async send(): Promise<void> {
    this.sent += 1;
  }
  async receive(): Promise<ReceivedMessage[]> {
    return [];
  }
  async delete(): Promise<void> {}
  async changeVisibility(): Promise<void> {}
}

export async function startBareServer(): Promise<StartedServer> {
  const app = Fastify({ logger: false });
  app.post('/', async (request) => request.body);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, path: '/', headers: {}, close: () => app.close() };
}

/** The production logger at `level`, writing to /dev/null (synchronously, as stdout in Lambda). */
export function benchLogger(level: 'info' | 'silent', onLine: () => void = () => undefined) {
  if (level === 'silent') return createLogger({ level: 'silent' });
  const dest = pino.destination({ dest: '/dev/null', sync: true });
  const counting = {
    write(line: string) {
      onLine();
      return dest.write(line);
    },
  };
  return createLogger({ level: 'info', destination: counting });
}

/**
 * `logLevel` 'info' writes the production log lines (same logger options) to /dev/null. The
 * `binding` picks the URL the load goes to: the JSON-RPC endpoint, or HTTP+JSON's /message:send.
 */
export async function startGatewayServer(
  logLevel: 'info' | 'silent',
  binding: 'jsonrpc' | 'rest' = 'jsonrpc',
): Promise<StartedServer & { stats: () => Promise<{ logLines: number }> }> {
  const issuer = await createEphemeralDevIssuer();
  let logLines = 0;
  const logger = benchLogger(logLevel, () => {
    logLines += 1;
  });
  const bus = new TaskChangeBus();
  const store = withChangeNotifications(new MemoryTaskStore(), bus);
  const verifier = devIssuerVerifier(issuer);
  const app = await buildApp(
    rigGatewayDeps({
      store,
      queue: new CountingQueue(),
      watcher: busTaskWatcher(bus, store),
      principals: verifyingResolver(verifier),
      logger: logger.child({ service: 'gateway' }),
      settings: { blockingTimeoutMs: 25_000, cancelWaitMs: 5_000, retentionSeconds: 86_400 },
    }),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const token = await issuer.mint({
    tenant: 'bench',
    scopes: ['tasks:submit', 'tasks:read'],
    ttlSeconds: 3600,
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    path: binding === 'rest' ? '/agents/echo/message:send' : '/agents/echo',
    headers: { authorization: `Bearer ${token}`, 'a2a-version': '1.0' },
    close: () => app.close(),
    stats: async () => ({ logLines }),
  };
}
