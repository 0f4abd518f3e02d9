/**
 * Push delivery for the resilience stack: the real dispatcher handler and webhook sender (signed,
 * SSRF-guarded, loopback allowed) on a push queue with a 2 s visibility timeout, short webhook
 * timeouts and a short dispatch lease, so retries happen within the run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InProcessQueue } from '../../adapters/memory/in-process-queue';
import { createPushSigner, LOCAL_PUSH_ISSUER } from '../../adapters/push/push-signer';
import { loadSigningKeysFromFile } from '../../adapters/push/push-signing-keys';
import { createWebhookPushSender } from '../../adapters/push/webhook-push-sender';
import { systemClock } from '../../core/ports/clock';
import { silentLogger } from '../../core/ports/logger';
import { LOCAL_WEBHOOK_POLICY } from '../../local/local-push';
import type { PushDispatchStore } from '../../workers/push-dispatcher/deliver-pushes';
import { createPushDispatcherHandler } from '../../workers/push-dispatcher/handler';
import { type QueuePoller, startQueuePoller } from '../../workers/runtime/queue-poller';

export interface PushWiring {
  queue: InProcessQueue;
  stop(): Promise<void>;
}

export const WEBHOOK_TIMEOUT_MS = 300;
/** dispatcher pollers (Lambda would scale them out; a backlog of retries needs several) */
const DISPATCHERS = 8;

export async function startPushWiring(store: PushDispatchStore, queue: InProcessQueue): Promise<PushWiring> {
  const dir = await mkdtemp(join(tmpdir(), 'resilience-keys-'));
  const keys = await loadSigningKeysFromFile(dir);
  const handler = createPushDispatcherHandler({
    store,
    sender: createWebhookPushSender({
      signer: createPushSigner({ issuer: LOCAL_PUSH_ISSUER, keys }),
      policy: LOCAL_WEBHOOK_POLICY,
      timeoutMs: WEBHOOK_TIMEOUT_MS,
    }),
    clock: systemClock,
    logger: silentLogger,
    settings: { suspendAfter: 1_000, leaseMs: 2_000 },
    dispatcherId: 'resilience',
    queue,
    backoff: { baseSeconds: 1, maxSeconds: 2 },
  });
  const pollers: QueuePoller[] = Array.from({ length: DISPATCHERS }, () =>
    startQueuePoller({ queue, handler, batchSize: 5, waitSeconds: 1 }),
  );
  return {
    queue,
    async stop() {
      await Promise.all(pollers.map((p) => p.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
