/**
 * Agent-worker "processes" on the work queue, each one poller running the real SQS handler
 * (createAgentWorkerHandler). A process may die (scripts/resilience/faults.ts); the fleet then
 * starts a replacement, as Lambda starts a new instance. Dead processes are abandoned, not stopped.
 */

import { randomUUID } from 'node:crypto';
import type { InProcessQueue } from '../../adapters/memory/in-process-queue';
import { MemoryCheckpointData, MemoryCheckpointer } from '../../adapters/memory/memory-checkpointer';
import { systemClock } from '../../core/ports/clock';
import { silentLogger } from '../../core/ports/logger';
import type { PushTrigger } from '../../core/ports/push-trigger';
import type { TaskStore } from '../../core/ports/task-store';
import { createAgentWorkerHandler } from '../../workers/agent-worker/handler';
import type { AgentRegistry } from '../../workers/agent-worker/worker-deps';
import { type QueuePoller, startQueuePoller } from '../../workers/runtime/queue-poller';
import { type CrashDecision, crashingStore, dyingQueue, ProcessLife } from './faults';

export interface FleetOptions {
  size: number;
  queue: InProcessQueue;
  /** the store as a worker sees it, given the worker's own (possibly crashing) base store */
  storeFor(base: TaskStore): TaskStore;
  /** the store the worker's crashes wrap (throttled, before change notifications and push triggers) */
  base: TaskStore;
  agents: AgentRegistry;
  leaseMs: number;
  heartbeatMs: number;
  visibilityTimeoutSeconds: number;
  /** which store calls of a worker kill its process */
  crashes: CrashDecision;
  /** chance that a worker dies after a run, before acknowledging its message */
  crashBeforeAck: number;
  random: () => number;
  /** the push trigger a worker re-sends for a settled task whose message comes back */
  push?: PushTrigger;
}

export interface WorkerFleet {
  /** where each dead process died (`<method>: before|after`, `ack: before delete`) */
  readonly deaths: string[];
  stop(): Promise<void>;
}

export function startWorkerFleet(o: FleetOptions): WorkerFleet {
  const deaths: string[] = [];
  const live = new Set<{ life: ProcessLife; poller: QueuePoller }>();
  const checkpoints = new MemoryCheckpointData();
  let stopping = false;

  const spawnWorker = (): void => {
    if (stopping) return;
    const life: ProcessLife = new ProcessLife((where) => {
      deaths.push(where);
      live.delete(worker);
      setImmediate(spawnWorker);
    });
    const store = o.storeFor(crashingStore(o.base, life, o.crashes));
    const queue = dyingQueue(o.queue, life, o.crashBeforeAck, o.random);
    const handler = createAgentWorkerHandler(
      {
        store,
        agents: o.agents,
        checkpointers: (tenant) => new MemoryCheckpointer({ data: checkpoints, tenant, ttlSeconds: 3_600 }),
        clock: systemClock,
        logger: silentLogger,
        settings: {
          leaseMs: o.leaseMs,
          heartbeatMs: o.heartbeatMs,
          retentionSeconds: 86_400,
          visibilityTimeoutSeconds: o.visibilityTimeoutSeconds,
        },
        workerId: `resilience-${randomUUID().slice(0, 8)}`,
        ...(o.push ? { push: o.push } : {}),
      },
      { queue },
    );
    const worker = { life, poller: startQueuePoller({ queue, handler, batchSize: 1, waitSeconds: 1 }) };
    live.add(worker);
  };

  for (let i = 0; i < o.size; i++) spawnWorker();
  return {
    deaths,
    async stop() {
      stopping = true;
      // A process that dies while stopping would hang its stop(): give up on it after 5 s.
      const stopped = Promise.all([...live].filter((w) => !w.life.dead).map((w) => w.poller.stop()));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        stopped,
        new Promise((resolve) => {
          timer = setTimeout(resolve, 5_000);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
