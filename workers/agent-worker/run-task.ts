/**
 * Runs one work message: claim the task with a lease, run its agent, append each event in order,
 * honour cancellation between events, and settle the task. Duplicate deliveries find the lease
 * held (or the task already past the message) and do nothing.
 */
import { randomUUID } from 'node:crypto';
import { isSettled, isTerminal, TaskState } from '../../core/a2a/task-state';
import type { Message, TaskStatus } from '../../core/a2a/types';
import { type RequestContext, systemContext } from '../../core/context';
import { RetryableError, VersionConflictError } from '../../core/errors';
import type { Agent, AgentEvent } from '../../core/ports/agent';
import { type Clock, isoAt } from '../../core/ports/clock';
import type { Logger } from '../../core/ports/logger';
import type { TaskStore } from '../../core/ports/task-store';
import { applyEvents, type TaskEvent, type TaskRecord, toTask } from '../../core/task-record';
import { commitCanceled } from '../../core/use-cases/cancel-task';
import type { WorkMessage } from '../../core/work-message';

export interface WorkerDeps {
  store: TaskStore;
  agents: ReadonlyMap<string, Agent>;
  clock: Clock;
  logger: Logger;
  settings: {
    leaseMs: number;
    /** how often a running task renews its lease and looks for a cancel request */
    heartbeatMs: number;
    retentionSeconds: number;
  };
  workerId: string;
}

export type RunOutcome = 'done' | 'skipped' | 'failed-permanently';

export async function runTask(
  deps: WorkerDeps,
  work: WorkMessage,
  traceparent?: string,
): Promise<RunOutcome> {
  const ctx = systemContext(work.tenant, randomUUID(), traceparent);
  const log = deps.logger.child({ tenant: work.tenant, taskId: work.taskId, seq: work.seq });
  const task = await deps.store.get(ctx, work.taskId);
  if (!task) {
    log.warn({}, 'work for an unknown task; acknowledged');
    return 'failed-permanently';
  }
  if (isTerminal(task.status.state) || isSettled(task.status.state) || task.version < work.seq) {
    log.debug({ state: task.status.state }, 'nothing to run');
    return 'skipped';
  }
  const owner = `${deps.workerId}/${randomUUID()}`;
  const claimed = await deps.store.acquireLease(ctx, {
    taskId: task.id,
    lease: { owner, until: deps.clock.now() + deps.settings.leaseMs },
    now: deps.clock.now(),
  });
  if (!claimed) {
    log.info({}, 'task is leased by another worker; duplicate delivery acknowledged');
    return 'skipped';
  }
  const agent = deps.agents.get(claimed.agentId);
  const run = new TaskRun(deps, ctx, claimed, owner, log);
  try {
    if (!agent) return await run.fail(`No agent ${claimed.agentId} is deployed`);
    return await run.execute(agent);
  } finally {
    await run.stop();
  }
}

class TaskRun {
  private readonly abort = new AbortController();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly ctx: RequestContext,
    private task: TaskRecord,
    private readonly owner: string,
    private readonly log: Logger,
  ) {
    this.heartbeat = setInterval(() => void this.beat(), deps.settings.heartbeatMs);
    this.heartbeat.unref();
  }

  async execute(agent: Agent): Promise<RunOutcome> {
    if (this.task.status.state === TaskState.Submitted) {
      await this.append([{ kind: 'status', status: this.status(TaskState.Working) }]);
    }
    const message = latestUserMessage(this.task.history);
    try {
      for await (const out of agent.run({ task: toTask(this.task), message, signal: this.abort.signal })) {
        if (await this.canceledNow()) return 'done';
        await this.append([this.toTaskEvent(out)]);
        if (isSettled(this.task.status.state)) return 'done';
      }
    } catch (err) {
      if (err instanceof RetryableError) throw err;
      if (await this.canceledNow()) return 'done';
      this.log.error({ err }, 'agent failed');
      return this.fail('The agent failed while working on this task');
    }
    if (await this.canceledNow()) return 'done';
    return this.fail('The agent finished without a final state');
  }

  async fail(reason: string): Promise<RunOutcome> {
    await this.append([{ kind: 'status', status: this.status(TaskState.Failed, reason) }]);
    return 'failed-permanently';
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    this.abort.abort();
    await this.deps.store.releaseLease(this.ctx, this.task.id, this.owner).catch(() => undefined);
  }

  private status(state: TaskState, text?: string): TaskStatus {
    const status: TaskStatus = { state, timestamp: isoAt(this.deps.clock.now()) };
    if (text !== undefined) status.message = this.agentMessage([{ text }]);
    return status;
  }

  private agentMessage(parts: Message['parts']): Message {
    return {
      messageId: randomUUID(),
      role: 'ROLE_AGENT',
      parts,
      taskId: this.task.id,
      contextId: this.task.contextId,
    };
  }

  private toTaskEvent(out: AgentEvent): TaskEvent {
    switch (out.kind) {
      case 'status': {
        const status = this.status(out.state);
        if (out.message) status.message = this.agentMessage(out.message);
        return { kind: 'status', status };
      }
      case 'artifact': {
        const e: TaskEvent = { kind: 'artifact', artifact: out.artifact };
        if (out.append !== undefined) e.append = out.append;
        if (out.lastChunk !== undefined) e.lastChunk = out.lastChunk;
        return e;
      }
      case 'message':
        return { kind: 'message', message: this.agentMessage(out.parts) };
    }
  }

  /** Appends events at the task's next seq; on a version conflict re-reads and reapplies. */
  private async append(events: TaskEvent[]): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = this.deps.clock.now();
      const { next, stored } = applyEvents(this.task, events, isoAt(now));
      if (isTerminal(next.status.state))
        next.expiresAt = Math.floor(now / 1000) + this.deps.settings.retentionSeconds;
      try {
        this.task = await this.deps.store.commit(this.ctx, {
          taskId: this.task.id,
          expectedVersion: this.task.version,
          next,
          events: stored,
        });
        return;
      } catch (err) {
        if (!(err instanceof VersionConflictError)) throw err;
        const latest = await this.deps.store.get(this.ctx, this.task.id);
        if (!latest || isTerminal(latest.status.state)) throw new TaskEndedElsewhere();
        this.task = latest;
      }
    }
    throw new RetryableError(`Task ${this.task.id}: too many concurrent writers`);
  }

  /** Ends the task CANCELED if a cancel was requested. */
  private async canceledNow(): Promise<boolean> {
    const latest = await this.deps.store.get(this.ctx, this.task.id);
    if (!latest) return true;
    if (isTerminal(latest.status.state)) return true;
    if (!latest.cancelRequested) return false;
    await commitCanceled(this.deps, this.ctx, latest);
    this.log.info({}, 'task canceled');
    return true;
  }

  private async beat(): Promise<void> {
    try {
      const until = this.deps.clock.now() + this.deps.settings.leaseMs;
      const held = await this.deps.store.renewLease(this.ctx, this.task.id, { owner: this.owner, until });
      const latest = await this.deps.store.get(this.ctx, this.task.id);
      if (!held || !latest || latest.cancelRequested || isTerminal(latest.status.state)) this.abort.abort();
    } catch (err) {
      this.log.warn({ err }, 'heartbeat failed');
    }
  }
}

/** Thrown when another writer ended the task while this run was appending. */
export class TaskEndedElsewhere extends Error {
  override readonly name = 'TaskEndedElsewhere';
}

function latestUserMessage(history: readonly Message[]): Message {
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i] as Message;
    if (m.role === 'ROLE_USER') return m;
  }
  return { messageId: 'none', role: 'ROLE_USER', parts: [{ text: '' }] };
}
