/**
 * The local stack rebuilt from the same parts (gateway, work queue with DLQ, agent workers, DLQ
 * consumer, reconciler, push queue with dispatchers) with short timeouts and places to inject
 * faults: a throttling store under every component, crashing worker processes, an overload guard
 * on the gateway. The agent is a counting echo (optionally slow), so runs per task can be checked.
 */
import type { AddressInfo } from 'node:net';
import { InProcessQueue } from '../../adapters/memory/in-process-queue';
import { MemoryTaskStore } from '../../adapters/memory/memory-task-store';
import {
  busTaskWatcher,
  TaskChangeBus,
  withChangeNotifications,
} from '../../adapters/memory/task-change-bus';
import { queuePushTrigger, withPushTrigger } from '../../adapters/push/push-trigger';
import { createEphemeralDevIssuer, type DevIssuer, devIssuerVerifier } from '../../authorizer/dev-issuer';
import { systemClock } from '../../core/ports/clock';
import { silentLogger } from '../../core/ports/logger';
import type { TaskStore } from '../../core/ports/task-store';
import type { QueueSender } from '../../core/ports/work-queue';
import { buildApp } from '../../gateway/app';
import { verifyingResolver } from '../../gateway/auth/principal-resolver';
import { type OverloadGuard, type OverloadSettings, registerOverloadGuard } from '../../gateway/overload';
import type { RequestTimeouts } from '../../gateway/request-timeouts';
import { rigGatewayDeps } from '../../local/rig-gateway-deps';
import { createDlqConsumerHandler } from '../../workers/dlq-consumer/handler';
import { createReconcilerHandler } from '../../workers/reconciler/handler';
import { type QueuePoller, startQueuePoller } from '../../workers/runtime/queue-poller';
import { countingEcho } from './counting-echo';
import { type CrashDecision, randomCrashes, type ThrottleCounts, throttlingStore } from './faults';
import { type PushWiring, startPushWiring } from './push-wiring';
import { startWorkerFleet, type WorkerFleet } from './worker-fleet';

export interface ResilienceStackOptions {
  random: () => number;
  workers: number;
  /** chance of RetryableError per store call, every component */
  throttle: number;
  /** which store calls of a worker kill its process (see faults.ts randomCrashes) */
  crashes: CrashDecision;
  crashBeforeAck: number;
  /** the echo agent waits this long before each of its events */
  agentDelayMs: number;
  /** register gateway/overload.ts with these settings */
  overload?: Partial<OverloadSettings>;
  /** the gateway's bounds on receiving a request (gateway/request-timeouts.ts) */
  requestTimeouts?: Partial<RequestTimeouts>;
  /** byte budget of a ListTasks page */
  listPageMaxBytes?: number;
  blockingTimeoutMs: number;
  /** start push dispatchers (tasks that carry a push config get their events delivered) */
  push: boolean;
  /** the gateway's per-tenant cap on queued work (UseCaseSettings); none by default */
  maxQueuedTasksPerTenant?: number;
  /** false: the gateway's work messages lose their fairness group (the FIFO baseline) */
  fairGroups?: boolean;
}

export interface ResilienceStack {
  url: string;
  issuer: DevIssuer;
  /** the store without faults: what the audit reads */
  truth: TaskStore;
  runs: Map<string, number>;
  throttles: ThrottleCounts;
  fleet: WorkerFleet;
  workQueue: InProcessQueue;
  deadLetters: InProcessQueue;
  push: PushWiring | undefined;
  overload: OverloadGuard | undefined;
  stop(): Promise<void>;
}

const LEASE_MS = 1_500;
const VISIBILITY_SECONDS = 2;

/** A stack with no faults injected (no crashes, no throttling, no push): the attack scenarios' base. */
export const faultFreeStack = (
  o: Pick<ResilienceStackOptions, 'workers' | 'agentDelayMs' | 'blockingTimeoutMs'>,
): ResilienceStackOptions => ({
  random: Math.random,
  throttle: 0,
  crashes: randomCrashes(0, Math.random),
  crashBeforeAck: 0,
  push: false,
  ...o,
});

export async function startResilienceStack(o: ResilienceStackOptions): Promise<ResilienceStack> {
  const truth = new MemoryTaskStore();
  const throttles: ThrottleCounts = { calls: 0, throttled: 0 };
  const throttled = throttlingStore(truth, o.throttle, o.random, throttles);
  const bus = new TaskChangeBus();
  const pushQueue = new InProcessQueue({
    visibilityTimeoutSeconds: 2,
    maxReceiveCount: 50,
    deadLetterQueue: new InProcessQueue(),
  });
  const trigger = queuePushTrigger(pushQueue);
  // Every writer sees the store the way the local stack wires it: change signals and push triggers
  // on top of the (throttled) adapter.
  const wire = (base: TaskStore) =>
    withPushTrigger(withChangeNotifications(base, bus), trigger, silentLogger);
  const shared = wire(throttled);
  const deadLetters = new InProcessQueue({ visibilityTimeoutSeconds: 2 });
  const workQueue = new InProcessQueue({
    visibilityTimeoutSeconds: VISIBILITY_SECONDS,
    maxReceiveCount: 20,
    deadLetterQueue: deadLetters,
  });
  const { agents, runs } = countingEcho(o.agentDelayMs);

  const issuer = await createEphemeralDevIssuer();
  const app = await buildApp({
    ...rigGatewayDeps({
      store: shared,
      queue: o.fairGroups === false ? withoutGroups(workQueue) : workQueue,
      watcher: busTaskWatcher(bus, shared, 200),
      push: trigger,
      principals: verifyingResolver(devIssuerVerifier(issuer)),
      settings: {
        blockingTimeoutMs: o.blockingTimeoutMs,
        retentionSeconds: 86_400,
        ...(o.maxQueuedTasksPerTenant ? { maxQueuedTasksPerTenant: o.maxQueuedTasksPerTenant } : {}),
        //@@THEIRS@@
        ...(o.listPageMaxBytes === undefined ? {} : { listPageMaxBytes: o.listPageMaxBytes }),
      },
    }),
    ...(o.requestTimeouts ? { requestTimeouts: o.requestTimeouts } : {}),
  });
  const overload = o.overload ? registerOverloadGuard(app, o.overload) : undefined;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;

  const fleet = startWorkerFleet({
    size: o.workers,
    queue: workQueue,
    base: throttled,
    storeFor: wire,
    agents,
    leaseMs: LEASE_MS,
    heartbeatMs: 300,
    visibilityTimeoutSeconds: VISIBILITY_SECONDS,
    crashes: o.crashes,
    crashBeforeAck: o.crashBeforeAck,
    random: o.random,
    push: trigger,
  });
  const dlq: QueuePoller = startQueuePoller({
    queue: deadLetters,
    batchSize: 1,
    waitSeconds: 1,
    handler: createDlqConsumerHandler({
      store: shared,
      clock: systemClock,
      logger: silentLogger,
      settings: { leaseMs: LEASE_MS, retentionSeconds: 86_400 },
    }),
  });
  const reconcile = createReconcilerHandler({
    store: shared,
    queue: workQueue,
    clock: systemClock,
    logger: silentLogger,
    settings: { maxItems: 200, backoffMs: 3_000 },
  });
  const timer = setInterval(() => void reconcile().catch(() => undefined), 500);
  const push = o.push ? await startPushWiring(shared, pushQueue) : undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    issuer,
    truth,
    runs,
    throttles,
    fleet,
    workQueue,
    deadLetters,
    push,
    overload,
    async stop() {
      clearInterval(timer);
      await app.close();
      await Promise.all([fleet.stop(), dlq.stop(), push?.stop()]);
      for (const q of [workQueue, deadLetters, pushQueue]) q.close();
    },
  };
}

/** A sender that drops the fairness group: every message a group of its own, i.e. plain FIFO. */
function withoutGroups(queue: QueueSender): QueueSender {
  return {
    send: (body, options = {}) => {
      const { group: _dropped, ...rest } = options;
      return queue.send(body, rest);
    },
  };
}
