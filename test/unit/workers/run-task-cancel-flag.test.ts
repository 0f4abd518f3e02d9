/**
 * A run that claims a task whose cancel was already requested (asked of a run that died before it
 * looked) honours it at its first step check, though its claim read is fresh: it does not run the
 * turn to its end first.
 */
import { describe, expect, it } from 'vitest';
import { MemoryTaskStore } from '../../../adapters/memory/memory-task-store';
import { TaskState } from '../../../core/a2a/task-state';
import { runTask } from '../../../workers/agent-worker/run-task';
import { ctx, testClock } from '../../support/factories';
import { echoWorkFor } from '../../support/worker-fixtures';

describe('a run claimed with the cancel flag already set', () => {
  it('cancels the task at its first step check instead of finishing the turn', async () => {
    const clock = testClock();
    const store = new MemoryTaskStore(clock);
    const me = ctx();
    const { deps, work } = await echoWorkFor(store, clock, me);
    await store.requestCancel(me, work.taskId);
    await runTask(deps, work);
    const task = await store.get(me, work.taskId);
    expect(task?.status.state).toBe(TaskState.Canceled);
    expect(task?.artifacts ?? []).toEqual([]);
  });
});
