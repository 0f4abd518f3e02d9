/**
 * Runs one work message: claim the task with a lease (a duplicate delivery finds it held, or the
 * task already past the message, and does nothing), keep the lease and the message alive while
 * running, run the agent (a LangGraph graph or a plain Agent) appending each event in order, and
 * settle the task. How a run ends:
 * - normally: the agent settled the task (COMPLETED, INPUT_REQUIRED, REJECTED, ...);
 * - canceled (flag seen between steps or by the heartbeat): CANCELED;
 * - lease lost or task ended elsewhere: nothing more is written;
 * - retryable failure: RetryableError, so the message returns to the queue and the next delivery
 *   resumes from the last checkpoint;
 * - continues later (RunContinuesLaterError: the invocation's time runs short while the agent waits):
 *   the lease is released, a fresh work message is enqueued and this one is acknowledged (a failed
 *   enqueue returns this message to the queue instead);
 * - any other failure: FAILED with a safe status message (the message is acknowledged).
 */
import { randomUUID } from 'node:crypto';
import { isSettled, isTerminal, TaskState } from '../../core/a2a/task-state';
import type { Message } from '../../core/a2a/types';
import { type RequestContext, systemContext, traceIdOf } from '../../core/context';
import { RetryableError, VersionConflictError } from '../../core/errors';
import type { Logger } from '../../core/ports/logger';
import type { TaskReader } from '../../core/ports/task-records';
import type { TaskRecord } from '../../core/task-record';
import { commitCanceled } from '../../core/use-cases/cancel-task';
import type { WorkMessage } from '../../core/work-message';
import { resolveAgent } from '../agents/registry';
import { Heartbeat, type VisibilityExtender } from './heartbeat';
import type { RunContext } from './run-context';
import {
  isRetryableFailure,
  LeaseLostError,
  PermanentRunError,
  RunCanceledError,
  RunContinuesLaterError,
  safeFailureMessage,
  TaskEndedElsewhereError,
} from './run-errors';
import { runPlainAgent } from './run-plain-agent';
import { TaskLog } from './task-log';
import type { WorkerDeps } from './worker-deps';

export interface RunOptions {
  traceparent?: string;
  /** extends the visibility of the message being processed while the run lasts */
  visibility?: VisibilityExtender;
  /** the invocation's remaining time (Lambda); unbounded when absent */
  timeLeftMs?: () => number;
  /** enqueues a fresh work message for a run that continues later (RunContinuesLaterError) */
  requeue?: (work: WorkMessage, delaySeconds: number) => Promise<void>;
}

/** how soon a new turn that found the previous turn's lease still held is tried again */
const LEASE_BUSY_RETRY_SECONDS = 2;
/**
 * How long a run's WORKING waits for the agent's first events to share their commit (one
 * transaction and one push trigger less per task) before it is committed alone.
 */
export const WORKING_LEAD_MS = 1_000;

export type RunOutcome = 'done' | 'skipped' | 'failed-permanently';

export async function runTask(
  deps: WorkerDeps,
  work: WorkMessage,
  opts: RunOptions = {},
): Promise<RunOutcome> {
  const ctx = systemContext(work.tenant, randomUUID(), opts.traceparent);
  const logger = deps.logger.child({
    tenant: work.tenant,
    taskId: work.taskId,
    seq: work.seq,
    ...(opts.traceparent ? { traceId: traceIdOf(opts.traceparent) } : {}),
  });
  const owner = `${deps.workerId}/${randomUUID()}`;
  const claimed = await claim(deps, ctx, work, owner, logger, opts);
  if (typeof claimed === 'string') return claimed;
  const heartbeat = new Heartbeat(deps, ctx, claimed.id, owner, opts.visibility);
  const message = latestUserMessage(claimed.history);
  let versionAtRead = claimed.version;
  const run: RunContext = {
    ctx,
    log: new TaskLog(deps, ctx, claimed, message.messageId),
    message,
    signal: heartbeat.signal,
    logger,
    checkBetweenSteps: async () => {
      // The claim read the task: until the run commits or the read grows old (FRESH_READ_MS), a
      // read would show nothing new that the run could still act on before its next commit. A
      // cancel already requested in that read (of a run that died before it looked) is acted on.
      const fresh = run.log.task.version === versionAtRead && !heartbeat.stale;
      if (heartbeat.reason === undefined && fresh && !run.log.task.cancelRequested) return;
      versionAtRead = run.log.task.version;
      await checkBetweenSteps(deps.store, ctx, claimed.id, owner, heartbeat);
    },
    timeLeftMs: opts.timeLeftMs ?? (() => Number.POSITIVE_INFINITY),
  };
  heartbeat.start();
  let continuation: RunContinuesLaterError | undefined;
  try {
    await execute(deps, run, claimed);
    return 'done';
  } catch (err) {
    if (!(err instanceof RunContinuesLaterError) || !opts.requeue || heartbeat.reason !== undefined)
      return await settleFailure(deps, run, heartbeat, err);
    continuation = err;
  } finally {
    heartbeat.stop();
    run.log.discardLead();
    // The commit that ended the task ended the lease too (TaskWriter.commit): nothing to release.
    if (run.log.task.lease?.owner === owner)
      await deps.store.releaseLease(ctx, claimed.id, owner).catch(() => undefined);
  }
  // After the lease is released, so the fresh message finds the task free.
  const latest = await deps.store.get(ctx, claimed.id);
  if (!latest || isSettled(latest.status.state)) return 'done';
  await opts.requeue({ ...work, seq: latest.version }, continuation.delaySeconds);
  logger.info(
    { delaySeconds: continuation.delaySeconds, reason: continuation.message },
    'run continues later',
  );
  return 'done';
}

/**
 * Claims the task for this message: first with the claim alone (conditional on a runnable task at
 * the message's seq, so the usual run starts with one request), and only when that fails reads the
 * task to tell why (ended, past the message, leased by another run, or a state that needs the read).
 */
async function claim(
  deps: WorkerDeps,
  ctx: RequestContext,
  work: WorkMessage,
  owner: string,
  logger: Logger,
  opts: RunOptions,
): Promise<TaskRecord | RunOutcome> {
  const lease = () => ({ owner, until: deps.clock.now() + deps.settings.leaseMs });
  const first = await deps.store.acquireLease(ctx, {
    taskId: work.taskId,
    lease: lease(),
    now: deps.clock.now(),
    runnableFrom: work.seq,
  });
  if (first) return first;
  const task = await deps.store.get(ctx, work.taskId);
  if (!task) {
    logger.warn({}, 'work for an unknown task; acknowledged');
    return 'failed-permanently';
  }
  if (task.status.state === TaskState.Canceled && task.version === work.seq) {
    // enqueued by the gateway's CancelTask for a task no run held: the agent may have more to undo
    const impl = await resolveAgent(deps.agents, task.agentId);
    if (impl?.kind === 'runner') await impl.agent.afterCancel?.(task, logger);
  }
  if (isSettled(task.status.state) || task.version < work.seq) {
    logger.debug({ state: task.status.state }, 'nothing to run');
    if (task.hasPush && isSettled(task.status.state)) await deps.push?.taskChanged(ctx, task.id);
    return 'skipped';
  }
  const claimed = await deps.store.acquireLease(ctx, {
    taskId: task.id,
    lease: lease(),
    now: deps.clock.now(),
  });
  if (!claimed) {
    // A new turn (SUBMITTED at exactly this message's seq) can arrive while the run that settled
    // the previous turn still holds the lease for a moment: come back shortly, don't drop it.
    if (task.status.state === TaskState.Submitted && task.version === work.seq) {
      await opts.visibility?.extend(LEASE_BUSY_RETRY_SECONDS).catch(() => undefined);
      throw new RetryableError(`Task ${task.id} is still leased by the run of its previous turn`);
    }
    logger.info({}, 'task is leased by another worker; duplicate delivery acknowledged');
    return 'skipped';
  }
  return claimed;
}

async function execute(deps: WorkerDeps, run: RunContext, claimed: TaskRecord): Promise<void> {
  const impl = await resolveAgent(deps.agents, claimed.agentId);
  if (!impl) throw new PermanentRunError(`No agent ${claimed.agentId} is deployed`);
  if (claimed.status.state === TaskState.Submitted) {
    const working = run.log.status(TaskState.Working);
    // Runners (remote, router) write through writers of their own: WORKING goes first, alone.
    if (impl.kind === 'runner') await run.log.append([working]);
    else run.log.lead(working, WORKING_LEAD_MS);
  }
  if (impl.kind === 'graph') {
    // the graph runtime (LangGraph) is imported with the first graph task
    const { runGraph } = await import('../graph-runtime/run-graph');
    await runGraph(run, impl.agent, await deps.checkpointers(claimed.tenant));
  } else if (impl.kind === 'runner') await impl.agent.run(run, deps);
  else await runPlainAgent(run, impl.agent);
}

async function checkBetweenSteps(
  store: Pick<TaskReader, 'get'>,
  ctx: RequestContext,
  taskId: string,
  owner: string,
  heartbeat: Heartbeat,
): Promise<void> {
  const latest = await store.get(ctx, taskId);
  heartbeat.seen();
  if (!latest || isTerminal(latest.status.state) || heartbeat.reason === 'task-ended')
    throw new TaskEndedElsewhereError();
  if (latest.cancelRequested || heartbeat.reason === 'canceled') throw new RunCanceledError();
  if (latest.lease?.owner !== owner || heartbeat.reason === 'lease-lost') throw new LeaseLostError();
}

async function settleFailure(
  deps: WorkerDeps,
  run: RunContext,
  heartbeat: Heartbeat,
  err: unknown,
): Promise<RunOutcome> {
  const { logger } = run;
  if (err instanceof TaskEndedElsewhereError || heartbeat.reason === 'task-ended') return 'done';
  if (err instanceof LeaseLostError || heartbeat.reason === 'lease-lost') {
    logger.warn({}, 'lease lost; another worker owns the task');
    return 'skipped';
  }
  if (err instanceof RunCanceledError || heartbeat.reason === 'canceled') {
    await cancelNow(deps, run.ctx, run.log.task.id);
    logger.info({}, 'task canceled');
    return 'done';
  }
  if (isRetryableFailure(err)) {
    const message = err instanceof Error ? err.message : String(err);
    throw err instanceof RetryableError ? err : new RetryableError(message, { cause: err });
  }
  logger.error({ err }, 'run failed permanently');
  const latest = await deps.store.get(run.ctx, run.log.task.id);
  if (!latest || isTerminal(latest.status.state)) return 'done';
  if (latest.cancelRequested) {
    await cancelNow(deps, run.ctx, latest.id);
    return 'done';
  }
  const log = new TaskLog(deps, run.ctx, latest, run.log.turn);
  await log.append([log.status(TaskState.Failed, safeFailureMessage(err))]);
  return 'failed-permanently';
}

async function cancelNow(deps: WorkerDeps, ctx: RequestContext, taskId: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const latest = await deps.store.get(ctx, taskId);
    if (!latest || isTerminal(latest.status.state)) return;
    try {
      await commitCanceled(deps, ctx, latest);
      return;
    } catch (err) {
      if (!(err instanceof VersionConflictError) || attempt >= 4) throw err;
    }
  }
}

function latestUserMessage(history: readonly Message[]): Message {
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i] as Message;
    if (m.role === 'ROLE_USER') return m;
  }
  return { messageId: 'none', role: 'ROLE_USER', parts: [{ text: '' }] };
}
