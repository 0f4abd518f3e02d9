/**
 * CancelTask. A task no worker holds (queued or waiting for input) is canceled at once; a running
 * one gets a cancel request that the worker honours between steps, and the call waits briefly
 * for it. Canceling a canceled task is idempotent; any other terminal task is not cancelable.
 */
import { isTerminal, TaskState } from '../a2a/task-state';
import type { CancelTaskRequest, Task } from '../a2a/types';
import type { RequestContext } from '../context';
import { TaskNotCancelableError, VersionConflictError } from '../errors';
import { isoAt } from '../ports/clock';
import { applyEvents, type TaskRecord, toTask } from '../task-record';
import { awaitSettled } from './await-settled';
import type { AgentScope, UseCaseDeps } from './deps';
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

    if (task.lease && task.lease.until > deps.clock.now()) {
      await deps.store.requestCancel(ctx, task.id);
      const settled = await awaitSettled(deps, ctx, task, deps.settings.cancelWaitMs, (t) =>
        isTerminal(t.status.state),
      );
      return toTask(settled);
    }
    try {
      return toTask(await commitCanceled(deps, ctx, task, req.metadata));
    } catch (err) {
      if (!(err instanceof VersionConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw err;
    }
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
  if (metadata) next.metadata = { ...task.metadata, ...metadata };
  next.expiresAt = Math.floor(now / 1000) + deps.settings.retentionSeconds;
  return deps.store.commit(ctx, { taskId: task.id, expectedVersion: task.version, next, events: stored });
}
