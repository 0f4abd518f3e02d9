/**
 * A second gateway instance on a running local stack's store and queue, as another Lambda or
 * container would be: its own process memory, a polling watcher instead of the in-process bus.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pollingTaskWatcher } from '../../adapters/polling/polling-task-watcher';
import { devIssuerVerifier } from '../../authorizer/dev-issuer';
import { buildApp } from '../../gateway/app';
import { verifyingResolver } from '../../gateway/auth/principal-resolver';
import { DEFAULT_STREAMING_SETTINGS } from '../../gateway/streaming/streaming-settings';
import type { LocalStack } from '../../local/local-stack';
import { rigGatewayDeps } from '../../local/rig-gateway-deps';

export async function secondGateway(stack: LocalStack): Promise<{ app: FastifyInstance; url: string }> {
  const verifier = devIssuerVerifier(stack.issuer);
  const app = await buildApp(
    rigGatewayDeps({
      store: stack.store,
      queue: stack.queue,
      watcher: pollingTaskWatcher(stack.store),
      principals: verifyingResolver(verifier),
      settings: { blockingTimeoutMs: 5_000, cancelWaitMs: 2_000 },
      streaming: { ...DEFAULT_STREAMING_SETTINGS, heartbeatMs: 500 },
    }),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}
