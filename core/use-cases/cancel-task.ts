/**
 * CancelTask. A task no worker runs (queued, or waiting for input, see isRunning) is canceled at
 * once; a running one gets a cancel request that the worker honours between steps, and the call
 * waits briefly for it (if the run stops for input instead, the task is canceled then).
 * Canceling a canceled task is idempotent; any other terminal task is not cancelable.
 * A task forwarded to a remote agent that is canceled here (no worker holds it, e.g. while it
 * waits for input) gets a work message at its CANCELED version: the worker that takes it cancels
 * the remote task (workers/agent-worker/run-task.ts).
 */
import { isInterrupted, isTerminal, TaskState } from '../a2a/task-state';
import type { CancelTaskRequest, Task } from '../a2a/types';
import type { RequestContext } from '../context';
import { TaskNotCancelableError, VersionConflictError } from '../errors';
import { isoAt } from '../ports/clock';
import { clientTaskMetadata, readRemoteBinding } from '../remote-agents';
import { applyEvents, type TaskRecord, toTask } from '../task-record';
import { awaitSettled } from './await-settled';
import type { AgentScope, UseCaseDeps } from './deps';
import { enqueueWork } from './enqueue-work';
import { loadTask } from './load-task';

const MAX_CONFLICT_RETRIES = 5;

export async function cancelTask(
  deps: UseCaseDeps,
  ctx: RequestContext,
  scope: AgentScope,
  req: CancelTaskRequest,
): Promise<Task> {
  for (let attempt = 0; ; attempt++) {
    const task = await loadTask(deps.store, ctx, scope, req.id);
    const state = task.status.state;
    if (state === TaskState.Canceled) return toTask(task);
    if (isTerminal(state)) throw new TaskNotCancelableError(task.id, state);

    if (isRunning(task, deps.clock.now())) {
      await deps.store.requestCancel(ctx, task.id);
      // Until the task ends, or its run stops for input without having seen the flag: then the
      // next round cancels it here.
      const settled = await awaitSettled(deps, ctx, task, deps.settings.cancelWaitMs);
      if (isTerminal(settled.status.state) || attempt >= MAX_CONFLICT_RETRIES) return toTask(settled);
      if (isRunning(settled, deps.clock.now())) return toTask(settled);
      continue;
    }
    let canceled: TaskRecord;
    try {
      canceled = await commitCanceled(deps, ctx, task, req.metadata);
    } catch (err) {
      if (!(err instanceof VersionConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw err;
      continue;
    }
    if (readRemoteBinding(task)?.taskId !== undefined) await forwardCancel(deps, ctx, canceled);
    return toTask(canceled);
  }
}

/**
 * A worker runs the task: it holds a live lease and the task is not waiting for input. A task
 * waiting for input is past its run's last commit even while that run still holds the lease (it
 * releases it in a later write), so it is canceled here, not left to a flag nobody reads; a late
 * write of that run would fail its version condition.
 */
function isRunning(task: TaskRecord, now: number): boolean {
  return task.lease !== undefined && task.lease.until > now && !isInterrupted(task.status.state);
}

/**
 * Best effort: the local task is canceled either way, so a queue failure here is logged, not
 * returned (the remote task then runs to its own end, and its answer is never read).
 */
async function forwardCancel(deps: UseCaseDeps, ctx: RequestContext, task: TaskRecord): Promise<void> {
  try {
    await enqueueWork(deps.queue, ctx, task);
  } catch (err) {
    deps.logger.warn(
      { taskId: task.id, reason: err instanceof Error ? err.message : String(err) },
      'could not enqueue the remote cancel of a canceled task',
    );
  }
}

/** Appends the CANCELED status event. Used by the gateway and by workers. */
export async function commitCanceled(
  deps: Pick<UseCaseDeps, 'store' | 'clock'> & { settings: { retentionSeconds: number } },
  ctx: RequestContext,
  task: TaskRecord,
  metadata?: Record<string, unknown>,
): Promise<TaskRecord> {
  const now = deps.clock.now();
  const status = { state: TaskState.Canceled, timestamp: isoAt(now) };
  const { next, stored } = applyEvents(task, [{ kind: 'status', status }], isoAt(now));
  const fromClient = clientTaskMetadata(metadata);
  if (fromClient) next.metadata = { ...task.metadata, ...fromClient };
  next.expiresAt = Math.floor(now / 1000) + deps.settings.retentionSeconds;
  return deps.store.commit(ctx, { taskId: task.id, expectedVersion: task.version, next, events: stored });
}
