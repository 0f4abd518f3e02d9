/**
 * TaskWatcher: wait until a task moves past a version. Blocking SendMessage and CancelTask use
 * it; streaming uses it to tail the event log. In one process it is an in-memory signal; across
 * processes (Lambda) it falls back to polling the store.
 */
import type { RequestContext } from '../context';
import type { TaskRecord } from '../task-record';

export interface TaskWatcher {
  /**
   * Resolves when the task's version is > sinceVersion, when timeoutMs passes, or when `signal`
   * aborts (whichever first). An abort releases every timer and waiter at once. Resolves with the
   * record it read that showed the change, if it read one, so the caller need not read it again.
   */
  waitForChange(
    ctx: RequestContext,
    taskId: string,
    sinceVersion: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<TaskRecord | undefined>;
}
