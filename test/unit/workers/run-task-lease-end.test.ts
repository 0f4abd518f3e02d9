/** The run whose commit ended the task releases nothing: that commit ended the lease. */
import { describe, expect, it } from 'vitest';
import { MemoryTaskStore } from '../../../adapters/memory/memory-task-store';
import { TaskState } from '../../../core/a2a/task-state';
import type { TaskStore } from '../../../core/ports/task-store';
import { runTask } from '../../../workers/agent-worker/run-task';
import { ctx, testClock } from '../../support/factories';
import { echoWorkFor } from '../../support/worker-fixtures';

describe('the end of a run', () => {
  it('sends no lease release after the commit that completed the task', async () => {
    const clock = testClock();
    const inner = new MemoryTaskStore(clock);
    const calls: string[] = [];
    const store = new Proxy(inner, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(prop));
          return value.apply(target, args);
        };
      },
    }) as TaskStore;
    const me = ctx();
    const { deps, work } = await echoWorkFor(store, clock, me);
    expect(await runTask(deps, work)).toBe('done');
    const task = await store.get(me, work.taskId);
    expect(task?.status.state).toBe(TaskState.Completed);
    expect(task?.lease).toBeUndefined();
    expect(calls).not.toContain('releaseLease');
  });
});
