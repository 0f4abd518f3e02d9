/**
 * In-process change signals for tasks: the local stack's TaskWatcher. A store wrapped with
 * withChangeNotifications() signals on every write, so waiters wake at once instead of polling.
 */
import type { RequestContext } from '../../core/context';
import { tenantOf } from '../../core/context';
import type { TaskReader } from '../../core/ports/task-records';
import type { TaskStore } from '../../core/ports/task-store';
import type { TaskWatcher } from '../../core/ports/task-watcher';
import { overriding } from '../shared/overriding';

export class TaskChangeBus {
  private readonly waiters = new Map<string, Set<() => void>>();

  notify(tenant: string, taskId: string): void {
    const key = `${tenant}\u0000${taskId}`;
    const set = this.waiters.get(key);
    if (!set) return;
    this.waiters.delete(key);
    for (const wake of set) wake();
  }

  /** Resolves on the next notify for the task, after timeoutMs, or when `signal` aborts. */
  next(tenant: string, taskId: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const key = `${tenant}\u0000${taskId}`;
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      let set = this.waiters.get(key);
      if (!set) {
        set = new Set();
        this.waiters.set(key, set);
      }
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', leave);
        resolve();
      };
      // Timeout or abort: this waiter leaves the set itself (notify removes the whole set).
      const leave = () => {
        const current = this.waiters.get(key);
        current?.delete(settle);
        if (current?.size === 0) this.waiters.delete(key);
        settle();
      };
      const timer = setTimeout(leave, Math.max(0, timeoutMs));
      signal?.addEventListener('abort', leave, { once: true });
      set.add(settle);
    });
  }

  get waiting(): number {
    let n = 0;
    for (const s of this.waiters.values()) n += s.size;
    return n;
  }
}

/** Wraps a store so that every task write signals the bus after it succeeds. */
export function withChangeNotifications(store: TaskStore, bus: TaskChangeBus): TaskStore {
  const notify = (ctx: RequestContext, taskId: string) => bus.notify(tenantOf(ctx), taskId);
  return overriding(store, {
    async create(ctx, input) {
      const result = await store.create(ctx, input);
      notify(ctx, input.task.id);
      return result;
    },
    async commit(ctx, input) {
      const next = await store.commit(ctx, input);
      notify(ctx, input.taskId);
      return next;
    },
    async requestCancel(ctx, taskId) {
      await store.requestCancel(ctx, taskId);
      notify(ctx, taskId);
    },
  });
}

/**
 * Waits on the bus, and re-reads the store at `pollMs` as a safety net, so a write that did not
 * go through this process's bus is still seen.
 */
export function busTaskWatcher(
  bus: TaskChangeBus,
  store: Pick<TaskReader, 'get'>,
  pollMs = 500,
): TaskWatcher {
  return {
    async waitForChange(ctx, taskId, sinceVersion, timeoutMs, signal) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const remaining = deadline - Date.now();
        if (remaining <= 0 || signal?.aborted) return undefined;
        await bus.next(tenantOf(ctx), taskId, Math.min(remaining, pollMs), signal);
        if (signal?.aborted) return undefined;
        const t = await store.get(ctx, taskId);
        if (!t) return undefined;
        if (t.version > sinceVersion || t.cancelRequested) return t;
      }
    },
  };
}
