/**
 * Push delivery in the local stack: a push queue with SQS semantics and a DLQ, the dispatcher
 * (the same SQS handler Lambda runs) fed by a poller, signing keys from .local/, and webhooks to
 * loopback allowed (the banner says so).
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { InProcessQueue } from '../adapters/memory/in-process-queue';
import { withPushMetrics } from '../adapters/metrics/metered';
import type { SsrfPolicy } from '../adapters/net/outbound-url';
import { fileCachedSigningKeys } from '../adapters/push/cached-signing-keys';
import { createPushSigner, LOCAL_PUSH_ISSUER } from '../adapters/push/push-signer';
import { loadSigningKeysFromFile, PUSH_SIGNING_KEYS_FILE } from '../adapters/push/push-signing-keys';
import { queuePushTrigger } from '../adapters/push/push-trigger';
import { createWebhookPushSender } from '../adapters/push/webhook-push-sender';
import { systemClock } from '../core/ports/clock';
import { type Metrics, silentMetrics } from '../core/ports/metrics';
import type { PushTrigger } from '../core/ports/push-trigger';
import type { PushKeySource } from '../gateway/routes/jwks-route';
import type { PushDispatchStore } from '../workers/push-dispatcher/deliver-pushes';
import { createPushDispatcherHandler } from '../workers/push-dispatcher/handler';
import { type QueuePoller, startQueuePoller } from '../workers/runtime/queue-poller';

export const LOCAL_WEBHOOK_POLICY: SsrfPolicy = {
  allowHttpHosts: ['127.0.0.1', 'localhost', '::1'],
  allowLoopback: true,
};

export interface LocalPushOptions {
  dataDir: string;
  logger: Logger;
  /** attempts before a push message goes to the push DLQ */
  maxAttempts?: number;
  backoff?: { baseSeconds: number; maxSeconds: number };
  /** per-attempt webhook timeout */
  timeoutMs?: number;
  pollWaitSeconds?: number;
  metrics?: Metrics;
}

export interface LocalPush {
  trigger: PushTrigger;
  keys: PushKeySource;
  queue: InProcessQueue;
  deadLetters: InProcessQueue;
  /** starts the dispatcher on the store the gateway writes to */
  start(store: PushDispatchStore): void;
  stop(): Promise<void>;
}

export async function createLocalPush(o: LocalPushOptions): Promise<LocalPush> {
  // Checked (one stat) per signature and per JWKS request, re-read only when the file changed, so
  // `rotateSigningKeysFile` takes effect at the next delivery.
  const loadKeys = fileCachedSigningKeys(join(o.dataDir, PUSH_SIGNING_KEYS_FILE), () =>
    loadSigningKeysFromFile(o.dataDir),
  );
  await loadKeys();
  const deadLetters = new InProcessQueue({ visibilityTimeoutSeconds: 30 });
  const queue = new InProcessQueue({
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: o.maxAttempts ?? 8,
    deadLetterQueue: deadLetters,
  });
  const pollers: QueuePoller[] = [];
  return {
    trigger: queuePushTrigger(queue),
    keys: { jwks: async () => (await loadKeys()).jwks() },
    queue,
    deadLetters,
    start(store) {
      const handler = createPushDispatcherHandler({
        store,
        sender: withPushMetrics(
          createWebhookPushSender({
            signer: createPushSigner({ issuer: LOCAL_PUSH_ISSUER, keys: loadKeys }),
            policy: LOCAL_WEBHOOK_POLICY,
            ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
          }),
          o.metrics ?? silentMetrics,
        ),
        clock: systemClock,
        logger: o.logger.child({ service: 'push-dispatcher' }),
        settings: { suspendAfter: 5, leaseMs: 60_000 },
        dispatcherId: `local-${process.pid}`,
        queue,
        backoff: o.backoff ?? { baseSeconds: 1, maxSeconds: 60 },
      });
      for (let i = 0; i < 2; i++) {
        pollers.push(
          startQueuePoller({
            queue,
            handler,
            batchSize: 5,
            waitSeconds: o.pollWaitSeconds ?? 1,
            logger: o.logger,
          }),
        );
      }
    },
    async stop() {
      await Promise.all(pollers.map((p) => p.stop()));
      queue.close();
      deadLetters.close();
    },
  };
}
