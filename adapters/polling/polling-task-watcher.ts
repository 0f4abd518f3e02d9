/**
 * TaskWatcher for stateless runtimes (Lambda): polls the store with a growing interval. One
 * GetItem per poll; the interval starts small so a fast agent answers a blocking call quickly.
 */
import type { TaskReader } from '../../core/ports/task-records';
import type { TaskWatcher } from '../../core/ports/task-watcher';

export function pollingTaskWatcher(
  store: Pick<TaskReader, 'get'>,
  opts: { minMs?: number; maxMs?: number } = {},
): TaskWatcher {
  const minMs = opts.minMs ?? 25;
  const maxMs = opts.maxMs ?? 500;
  return {
    async waitForChange(ctx, taskId, sinceVersion, timeoutMs, signal) {
      const deadline = Date.now() + timeoutMs;
      let interval = minMs;
      for (;;) {
        const remaining = deadline - Date.now();
        if (remaining <= 0 || signal?.aborted) return undefined;
        await abortableSleep(Math.min(interval, remaining), signal);
        if (signal?.aborted) return undefined;
        const t = await store.get(ctx, taskId);
        if (!t) return undefined;
        if (t.version > sinceVersion) return t;
        interval = Math.min(maxMs, interval * 2);
      }
    },
  };
}

function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
