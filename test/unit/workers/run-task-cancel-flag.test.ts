/**
 * A cancel request a run has not read yet still wins: a run that claims a task whose cancel was
 * already requested (asked of a run that died before it looked) honours it at its first step
 * check, though its claim read is fresh; and a run whose agent stops for input after a cancel
 * request cancels the task (its commit is conditional on no request) instead of leaving it
 * waiting for input.
 */
import { describe, expect, it } from 'vitest';
import { MemoryTaskStore } from '../../../adapters/memory/memory-task-store';
import { TaskState } from '../../../core/a2a/task-state';
import type { Agent } from '../../../core/ports/agent';
import { runTask } from '../../../workers/agent-worker/run-task';
import { ctx, testClock } from '../../support/factories';
import { memoryCheckpointers } from '../../support/gateway-harness';
import { echoWorkFor, submitTask, workerDeps } from '../../support/worker-fixtures';

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

describe('a run whose agent stops for input after a cancel it has not read', () => {
  it('cancels the task instead of leaving it waiting for input with the flag set', async () => {
    const clock = testClock();
    const store = new MemoryTaskStore(clock);
    const me = ctx();
    // The cancel lands while the agent works on its only step: after the run's claim read, which
    // its step check trusts, and before the agent's answer asks for input.
    const asks: Agent = {
      id: 'asks',
      async *run({ task }) {
        await store.requestCancel(me, task.id);
        yield { kind: 'status', state: TaskState.InputRequired, message: [{ text: 'which one?' }] };
      },
    };
    const deps = workerDeps({
      store,
      clock,
      checkpointers: memoryCheckpointers(),
      agents: new Map([['asks', { kind: 'plain', agent: asks }]]),
    });
    const work = await submitTask(store, me, 'asks', 'hi', clock);
    await runTask(deps, work);
    expect((await store.get(me, work.taskId))?.status.state).toBe(TaskState.Canceled);
  });
});
