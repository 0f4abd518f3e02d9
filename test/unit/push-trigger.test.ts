/**
 * The store decorator that fires push triggers: a commit of a task with push configs fires one,
 * hinting the first seq it appended; a create fires none, and the first commit after it hints
 * seq 1, so the create's SUBMITTED goes out with that commit's deliveries.
 */
import { describe, expect, it } from 'vitest';
import { MemoryTaskStore } from '../../adapters/memory/memory-task-store';
import { withPushTrigger } from '../../adapters/push/push-trigger';
import { TaskState } from '../../core/a2a/task-state';
import { RetryableError } from '../../core/errors';
import { silentLogger } from '../../core/ports/logger';
import { commitStatus, ctx, newTask, pushConfig, testClock } from '../support/factories';

const me = ctx('tenant-trigger', 'alice');

describe('withPushTrigger', () => {
  it('fires nothing for a create and hints seq 1 at the first commit, then each commit its first seq', async () => {
    const fired: [string, number | undefined][] = [];
    const store = withPushTrigger(
      new MemoryTaskStore(),
      { taskChanged: async (_ctx, taskId, fromSeq) => void fired.push([taskId, fromSeq]) },
      silentLogger,
    );
    const input = newTask({ tenant: me.principal.tenant, hasPush: true });
    const taskId = input.task.id;
    await store.create(me, { ...input, pushConfigs: [pushConfig(taskId)] });
    expect(fired).toEqual([]);
    await commitStatus(store, me, taskId, TaskState.Working);
    await commitStatus(store, me, taskId, TaskState.Completed);
    expect(fired).toEqual([
      [taskId, 1],
      [taskId, 3],
    ]);
  });

  it('fires nothing for a task without push configs', async () => {
    const fired: unknown[] = [];
    const store = withPushTrigger(
      new MemoryTaskStore(),
      { taskChanged: async (...args) => void fired.push(args) },
      silentLogger,
    );
    const input = newTask({ tenant: me.principal.tenant });
    await store.create(me, input);
    await commitStatus(store, me, input.task.id, TaskState.Completed);
    expect(fired).toEqual([]);
  });

  it("stamps an ended task's push configs itself when its trigger fails: no dispatch would", async () => {
    const clock = testClock();
    const memory = new MemoryTaskStore(clock);
    const store = withPushTrigger(
      memory,
      {
        taskChanged: async () => {
          throw new Error('push queue unavailable');
        },
      },
      silentLogger,
      [1, 1],
    );
    const input = newTask({ tenant: me.principal.tenant, hasPush: true });
    const taskId = input.task.id;
    const configs = [pushConfig(taskId, { id: 'a' }), pushConfig(taskId, { id: 'b' })];
    await store.create(me, { ...input, pushConfigs: configs });
    await commitStatus(store, me, taskId, TaskState.Working);
    const expiresAt = clock.now() / 1000 + 60;
    await commitStatus(store, me, taskId, TaskState.Completed, { expiresAt });
    expect(await memory.listPushConfigs(me, taskId)).toHaveLength(2);
    clock.advance(61_000);
    expect(await memory.listPushConfigs(me, taskId)).toEqual([]);
  });
});

describe('withPushTrigger, a failing push queue', () => {
  const flaky = (failures: number, error: () => Error = () => new RetryableError('SQS throttled')) => {
    const calls: (number | undefined)[] = [];
    return {
      calls,
      trigger: {
        taskChanged: async (_ctx: unknown, _taskId: string, fromSeq?: number) => {
          calls.push(fromSeq);
          if (calls.length <= failures) throw error();
        },
      },
    };
  };

  it("tries an ended task's trigger again, so a brief refusal does not lose its last events", async () => {
    const clock = testClock();
    const memory = new MemoryTaskStore(clock);
    const { calls, trigger } = flaky(2);
    const store = withPushTrigger(memory, trigger, silentLogger, [1, 1]);
    const input = newTask({ tenant: me.principal.tenant, hasPush: true });
    const taskId = input.task.id;
    await store.create(me, { ...input, pushConfigs: [pushConfig(taskId)] });
    const expiresAt = clock.now() / 1000 + 60;
    await commitStatus(store, me, taskId, TaskState.Completed, { expiresAt });
    expect(calls).toEqual([1, 1, 1]);
    clock.advance(61_000);
    // delivered: the configs wait for the dispatcher's stamp instead of this fallback's
    expect(await memory.listPushConfigs(me, taskId)).toHaveLength(1);
  });

  it('does not try again a refusal that would only repeat (access denied, no such queue)', async () => {
    const clock = testClock();
    const memory = new MemoryTaskStore(clock);
    const { calls, trigger } = flaky(1, () => new Error('AccessDenied'));
    const store = withPushTrigger(memory, trigger, silentLogger, [1, 1]);
    const input = newTask({ tenant: me.principal.tenant, hasPush: true });
    const taskId = input.task.id;
    await store.create(me, { ...input, pushConfigs: [pushConfig(taskId)] });
    await commitStatus(store, me, taskId, TaskState.Completed, { expiresAt: clock.now() / 1000 + 60 });
    expect(calls).toEqual([1]);
    clock.advance(61_000);
    expect(await memory.listPushConfigs(me, taskId)).toEqual([]);
  });

  it('does not hold a commit of a task that goes on: its next commit triggers again', async () => {
    const { calls, trigger } = flaky(1);
    const store = withPushTrigger(new MemoryTaskStore(), trigger, silentLogger, [1, 1]);
    const input = newTask({ tenant: me.principal.tenant, hasPush: true });
    await store.create(me, { ...input, pushConfigs: [pushConfig(input.task.id)] });
    await commitStatus(store, me, input.task.id, TaskState.Working);
    expect(calls).toEqual([1]);
  });
});
