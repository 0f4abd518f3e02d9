/**
 * TaskWatcher: wait until a task moves past a version. Blocking SendMessage and CancelTask use
 * it; streaming uses it to tail the event log. In one process it is an in-memory signal; across
 * processes (Lambda) it falls back to polling the store.
 */
import type { RequestContext } from '../context';

export interface TaskWatcher {
  /** Resolves when the task's version is > sinceVersion, or when timeoutMs passes (whichever first). */
  waitForChange(ctx: RequestContext, taskId: string, sinceVersion: number, timeoutMs: number): Promise<void>;
}
