/** Worker test fixtures: tasks as the gateway writes them, follow-ups, deps, and event digests. */
import { TaskState } from '../../core/a2a/task-state';
import type { Message, Part } from '../../core/a2a/types';
import type { RequestContext } from '../../core/context';
import { type Clock, isoAt } from '../../core/ports/clock';
import { silentLogger } from '../../core/ports/logger';
import type { TaskReader, TaskWriter } from '../../core/ports/task-records';
import type { TaskStore } from '../../core/ports/task-store';
import { applyEvents, type StoredEvent } from '../../core/task-record';
import type { WorkMessage } from '../../core/work-message';
import type { AgentRegistry, WorkerDeps } from '../../workers/agent-worker/worker-deps';
import { createAgentRegistry } from '../../workers/agents/registry';
import type { CheckpointerFactory } from '../../workers/graph-runtime/graph-agent';
import { newTask, uniqueId, userMessage } from './factories';
import { memoryCheckpointers } from './gateway-harness';

export interface WorkerWorld {
  store: TaskStore;
  checkpointers: CheckpointerFactory;
  clock: Clock;
  agents?: AgentRegistry;
}

export const LEASE_MS = 30_000;

export function workerDeps(w: WorkerWorld, overrides: Partial<WorkerDeps> = {}): WorkerDeps {
  return {
    store: w.store,
    checkpointers: w.checkpointers,
    agents: w.agents ?? createAgentRegistry({ resubscribeWaitMs: 50 }),
    clock: w.clock,
    logger: silentLogger,
    // no heartbeat ticks during a test unless it asks for them
    settings: {
      leaseMs: LEASE_MS,
      heartbeatMs: 3_600_000,
      retentionSeconds: 3600,
      visibilityTimeoutSeconds: 60,
    },
    workerId: uniqueId('worker'),
    ...overrides,
  };
}

/** A SUBMITTED task as SendMessage creates it, and the work message the gateway would enqueue. */
export async function submitTask(
  store: Pick<TaskWriter, 'create'>,
  ctx: RequestContext,
  agentId: string,
  text: string,
  clock: Clock,
  message: Partial<Message> = {},
): Promise<WorkMessage> {
  const at = isoAt(clock.now());
  const input = newTask(
    {
      tenant: ctx.principal.tenant,
      agentId,
      createdAt: at,
      status: { state: TaskState.Submitted, timestamp: at },
    },
    userMessage(text, message),
  );
  await store.create(ctx, input);
  return { v: 1, tenant: ctx.principal.tenant, taskId: input.task.id, seq: 1 };
}

/** The follow-up SendMessage commits on an INPUT_REQUIRED task (SUBMITTED + the user message). */
export async function followUp(
  store: Pick<TaskReader, 'get'> & Pick<TaskWriter, 'commit'>,
  ctx: RequestContext,
  taskId: string,
  text: string,
  clock: Clock,
): Promise<WorkMessage> {
  const task = await store.get(ctx, taskId);
  if (!task) throw new Error(`task ${taskId} is missing`);
  const at = isoAt(clock.now());
  const message = userMessage(text, { taskId, contextId: task.contextId });
  const { next, stored } = applyEvents(
    task,
    [{ kind: 'status', status: { state: TaskState.Submitted, timestamp: at }, history: [message] }],
    at,
  );
  await store.commit(ctx, {
    taskId,
    expectedVersion: task.version,
    next,
    events: stored,
    idempotencyKey: message.messageId,
  });
  return { v: 1, tenant: ctx.principal.tenant, taskId, seq: next.version };
}

const texts = (parts: readonly Part[] | undefined) =>
  (parts ?? []).map((p) => p.text ?? JSON.stringify(p.data ?? p.url ?? p.raw ?? null)).join('|');

/** What an event says, without times and ids that differ between runs of the same story. */
export function digest(e: StoredEvent): string {
  const ev = e.event;
  switch (ev.kind) {
    case 'status':
      return `status ${ev.status.state} [${texts(ev.status.message?.parts)}] ${(ev.history ?? []).map((m) => texts(m.parts)).join(';')}`;
    case 'artifact':
      return `artifact ${ev.artifact.artifactId} append=${ev.append} last=${ev.lastChunk} [${texts(ev.artifact.parts)}]`;
    case 'message':
      return `message [${texts(ev.message.parts)}]`;
  }
}

/** Seqs 1..n without gaps or repeats. */
export const isGapless = (events: readonly StoredEvent[]): boolean => events.every((e, i) => e.seq === i + 1);

/** Agent message ids appear once each (keyed events get deterministic ids: a duplicate repeats one). */
export function agentMessageIds(events: readonly StoredEvent[]): string[] {
  return events.flatMap((e) => {
    const m =
      e.event.kind === 'status'
        ? e.event.status.message
        : e.event.kind === 'message'
          ? e.event.message
          : undefined;
    return m && m.role === 'ROLE_AGENT' ? [m.messageId] : [];
  });
}

/** An echo task submitted to `store` and the worker deps (memory checkpoints) that run it. */
export async function echoWorkFor(store: TaskStore, clock: Clock, me: RequestContext) {
  const deps = workerDeps({ store, clock, checkpointers: memoryCheckpointers() });
  const work = await submitTask(store, me, 'echo', 'hi', clock);
  return { deps, work };
}
