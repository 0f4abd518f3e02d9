/**
 * A second gateway instance on a running local stack's store and queue, as another Lambda or
 * container would be: its own process memory, a polling watcher instead of the in-process bus.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { pollingTaskWatcher } from '../../adapters/polling/polling-task-watcher';
import { devIssuerVerifier } from '../../authorizer/dev-issuer';
import { createAgentCatalog } from '../../core/agent-catalog';
import { randomIds, systemClock } from '../../core/ports/clock';
import { silentLogger } from '../../core/ports/logger';
import { buildApp } from '../../gateway/app';
import { verifyingResolver } from '../../gateway/auth/principal-resolver';
import { DEFAULT_STREAMING_SETTINGS } from '../../gateway/streaming/streaming-settings';
import type { LocalStack } from '../../scripts/local-stack';

export async function secondGateway(stack: LocalStack): Promise<{ app: FastifyInstance; url: string }> {
  const verifier = devIssuerVerifier(stack.issuer);
  const app = await buildApp({
    useCases: {
      store: stack.store,
      queue: stack.queue,
      watcher: pollingTaskWatcher(stack.store),
      clock: systemClock,
      ids: randomIds,
      agents: createAgentCatalog(),
      webhookUrls: { assertAllowed: async () => undefined },
      logger: silentLogger,
      settings: {
        blockingTimeoutMs: 5_000,
        cancelWaitMs: 2_000,
        retentionSeconds: 3_600,
        pushNotifications: true,
      },
    },
    principals: verifyingResolver(verifier),
    cards: {
      publicBaseUrl: 'http://127.0.0.1',
      streaming: true,
      pushNotifications: true,
      extendedAgentCard: false,
    },
    logger: pino({ level: 'silent' }),
    bodyLimitBytes: 1_048_576,
    streaming: { ...DEFAULT_STREAMING_SETTINGS, heartbeatMs: 500 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}
