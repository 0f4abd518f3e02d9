/**
 * The local stack's workers: the agent worker, the work DLQ's consumer and the reconciler, on the
 * in-process queues, running the same handler code as their Lambdas. Pollers stand in for the SQS
 * event source mappings; a timer stands in for the reconciler's schedule.
 */

import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from 'pino';
import type { InProcessQueue } from '../adapters/memory/in-process-queue';
import type { MemoryCheckpointData } from '../adapters/memory/memory-checkpoint-data';
import type { AgentDescriptor } from '../core/agent-catalog';
import { systemClock } from '../core/ports/clock';
import type { Metrics } from '../core/ports/metrics';
import type { PushTrigger } from '../core/ports/push-trigger';
import type { TaskStore } from '../core/ports/task-store';
import { createAgentWorkerHandler } from '../workers/agent-worker/handler';
import { type AgentRuntimeOptions, createAgentRegistry } from '../workers/agents/registry';
import { createDlqConsumerHandler } from '../workers/dlq-consumer/handler';
import type { CheckpointerFactory } from '../workers/graph-runtime/graph-agent';
import { createReconcilerHandler, type ReconcileReport } from '../workers/reconciler/handler';
import { type QueuePoller, startQueuePoller } from '../workers/runtime/queue-poller';

export interface LocalWorkersOptions {
  store: TaskStore;
  queue: InProcessQueue;
  deadLetters: InProcessQueue;
  /** the work queue's visibility timeout (the worker keeps extending it while a run lasts) */
  visibilityTimeoutSeconds: number;
  checkpointers: CheckpointerFactory;
  logger: Logger;
  retentionSeconds: number;
  resubscribeWaitMs?: number;
  concurrency?: number;
  pollWaitSeconds?: number;
  leaseMs?: number;
  /** how often the reconciler runs; default 30 s */
  reconcileIntervalMs?: number;
  /** the agents to run (the built-in ones by default), with the remote and router wiring */
  agents?: {
    catalog: readonly AgentDescriptor[];
    remote?: AgentRuntimeOptions['remote'];
    router?: AgentRuntimeOptions['router'];
  };
  metrics?: Metrics;
  /** re-sent for settled tasks whose message comes back (see WorkerDeps.push) */
  push?: PushTrigger;
}

export interface LocalWorkers {
  /** one reconciler run now (tests; the timer does this on its own) */
  reconcile(): Promise<ReconcileReport>;
  stop(): Promise<void>;
}

const CHECKPOINT_TTL_SECONDS = 30 * 86_400;

/**
 * Agent runs at once in the local stack (queue pollers). A run mostly waits (on the store, a model
 * or a remote agent), so a handful of pollers left the process idle while tasks queued: with 4,
 * an echo task's ~3 ms round trip capped the workers near 1,300 tasks/s while the gateway
 * accepted 3,700 SendMessage/s (bench section 7).
 */
export const DEFAULT_WORKER_CONCURRENCY = 16;

/**
 * Checkpoints next to the tasks: the same table for DynamoDB Local, memory for `--store memory`.
 * The checkpointer module (and LangGraph's checkpoint library with it) is imported with the first
 * graph task.
 */
export function localCheckpointers(
  dynamo: { client: DynamoDBDocumentClient; tableName: string } | undefined,
  /** memory mode: the records, held by the caller so evicted tasks can drop theirs */
  memory?: MemoryCheckpointData,
): CheckpointerFactory {
  let factory: Promise<CheckpointerFactory> | undefined;
  const load = async (): Promise<CheckpointerFactory> => {
    const ttlSeconds = CHECKPOINT_TTL_SECONDS;
    if (dynamo) {
      const { DynamoCheckpointer } = await import('../adapters/dynamo/dynamo-checkpointer');
      return DynamoCheckpointer.factory({ ...dynamo, ttlSeconds });
    }
    const { MemoryCheckpointData, MemoryCheckpointer } = await import(
      '../adapters/memory/memory-checkpointer'
    );
    const data = memory ?? new MemoryCheckpointData();
    return (tenant) => new MemoryCheckpointer({ data, tenant, ttlSeconds });
  };
  return async (tenant) => {
    factory ??= load();
    return (await factory)(tenant);
  };
}

export function startLocalWorkers(o: LocalWorkersOptions): LocalWorkers {
  const leaseMs = o.leaseMs ?? 60_000;
  const agentWorker = createAgentWorkerHandler(
    {
      store: o.store,
      agents: createAgentRegistry(
        {
          resubscribeWaitMs: o.resubscribeWaitMs ?? 10_000,
          ...(o.agents?.remote ? { remote: o.agents.remote } : {}),
          ...(o.agents?.router ? { router: o.agents.router } : {}),
        },
        o.agents?.catalog,
      ),
      checkpointers: o.checkpointers,
      clock: systemClock,
      logger: o.logger.child({ service: 'agent-worker' }),
      settings: {
        leaseMs,
        heartbeatMs: 1_000,
        retentionSeconds: o.retentionSeconds,
        visibilityTimeoutSeconds: o.visibilityTimeoutSeconds,
      },
      workerId: `local-${randomUUID().slice(0, 8)}`,
      ...(o.push ? { push: o.push } : {}),
    },
    { queue: o.queue, ...(o.metrics ? { metrics: o.metrics } : {}) },
  );
  const dlqConsumer = createDlqConsumerHandler({
    store: o.store,
    clock: systemClock,
    logger: o.logger.child({ service: 'dlq-consumer' }),
    settings: { leaseMs, retentionSeconds: o.retentionSeconds },
    ...(o.metrics ? { metrics: o.metrics } : {}),
  });
  const reconcile = createReconcilerHandler({
    store: o.store,
    queue: o.queue,
    clock: systemClock,
    logger: o.logger.child({ service: 'reconciler' }),
    settings: { maxItems: 100, backoffMs: 5 * 60_000 },
  });
  const poll = { batchSize: 1, waitSeconds: o.pollWaitSeconds ?? 1, logger: o.logger };
  const pollers: QueuePoller[] = [];
  for (let i = 0; i < (o.concurrency ?? DEFAULT_WORKER_CONCURRENCY); i++)
    pollers.push(startQueuePoller({ ...poll, queue: o.queue, handler: agentWorker }));
  pollers.push(startQueuePoller({ ...poll, queue: o.deadLetters, handler: dlqConsumer }));

  let reconciling: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    reconciling = reconciling
      .then(() => reconcile())
      .catch((err: unknown) => o.logger.error({ err }, 'reconciler run failed'));
  }, o.reconcileIntervalMs ?? 30_000);
  timer.unref();

  return {
    reconcile,
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...pollers.map((p) => p.stop()), reconciling]);
    },
  };
}
