/**
 * TaskWatcher for stateless runtimes (Lambda): polls the store with a growing interval. One
 * GetItem per poll; the interval starts small so a fast agent answers a blocking call quickly.
 */
import type { TaskStore } from '../../core/ports/task-store';
import type { TaskWatcher } from '../../core/ports/task-watcher';

export function pollingTaskWatcher(
  store: TaskStore,
  opts: { minMs?: number; maxMs?: number } = {},
): TaskWatcher {
  const minMs = opts.minMs ?? 25;
  const maxMs = opts.maxMs ?? 500;
  return {
    async waitForChange(ctx, taskId, sinceVersion, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let interval = minMs;
      for (;;) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) return;
        await new Promise((r) => setTimeout(r, Math.min(interval, remaining)));
        const t = await store.get(ctx, taskId);
        if (!t || t.version > sinceVersion) return;
        interval = Math.min(maxMs, interval * 2);
      }
    },
  };
}
