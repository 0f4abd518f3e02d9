/**
 * TaskWatcher: wait until a task moves past a version. Blocking SendMessage and CancelTask use
 * it; streaming uses it to tail the event log. In one process it is an in-memory signal; across
 * processes (Lambda) it falls back to polling the store.
 */
import type { RequestContext } from '../context';

export interface TaskWatcher {
  /**
   * Resolves when the task's version is > sinceVersion, when timeoutMs passes, or when `signal`
   * aborts (whichever first). An abort releases every timer and waiter at once.
   */
  waitForChange(
    ctx: RequestContext,
    taskId: string,
    sinceVersion: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<void>;
}
