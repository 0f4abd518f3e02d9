import { isSettled } from '../a2a/task-state';
import type { RequestContext } from '../context';
import type { TaskRecord } from '../task-record';
import type { UseCaseDeps } from './deps';

/**
 * Waits until the task is terminal or interrupted, or until `timeoutMs` passes, and returns the
 * latest state either way.
 */
export async function awaitSettled(
  deps: Pick<UseCaseDeps, 'store' | 'watcher' | 'clock'>,
  ctx: RequestContext,
  task: TaskRecord,
  timeoutMs: number,
  done: (t: TaskRecord) => boolean = (t) => isSettled(t.status.state),
): Promise<TaskRecord> {
  const deadline = deps.clock.now() + timeoutMs;
  let current = task;
  while (!done(current)) {
    const remaining = deadline - deps.clock.now();
    if (remaining <= 0) break;
    const seen = await deps.watcher.waitForChange(ctx, current.id, current.version, remaining);
    const latest = seen ?? (await deps.store.get(ctx, current.id));
    if (!latest) break;
    current = latest;
  }
  return current;
}
