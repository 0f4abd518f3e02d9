/**
 * One push config cannot hold back the others of its task: the dispatcher (the real webhook
 * sender, real HTTP on loopback, the memory store) delivers to every config, and a config that
 * fails — however — records its own failure.
 */
import { describe, expect, it } from 'vitest';
import { MemoryTaskStore } from '../../adapters/memory/memory-task-store';
import { TaskState } from '../../core/a2a/task-state';
import { silentLogger } from '../../core/ports/logger';
import type { PushSender } from '../../core/ports/push-sender';
import type { StoredPushConfig } from '../../core/ports/task-store';
import { applyEvents } from '../../core/task-record';
import { deliverTaskPushes, SENDER_ERROR } from '../../workers/push-dispatcher/deliver-pushes';
import { ctx, newTask, pushConfig, testClock } from '../support/factories';
import { useLoopbackPush } from '../support/loopback-push-sender';

const push = useLoopbackPush();

const me = ctx('tenant-iso', 'alice');

/** A completed task with two configs ('a-…' is dispatched first), written straight into the store. */
async function completedTaskWith(bad: Partial<StoredPushConfig['config']>) {
  const clock = testClock();
  const store = new MemoryTaskStore(clock);
  const input = newTask({ tenant: me.principal.tenant });
  const taskId = input.task.id;
  const delivery = { lastDeliveredSeq: 0, consecutiveFailures: 0 };
  const first = {
    ...pushConfig(taskId, { id: 'a-bad', url: `${push.receiver.origin}/bad`, ...bad }),
    delivery,
  };
  const second = { ...pushConfig(taskId, { id: 'b-good', url: `${push.receiver.origin}/good` }), delivery };
  await store.create(me, { ...input, task: { ...input.task, hasPush: true }, pushConfigs: [first, second] });
  const current = await store.get(me, taskId);
  if (!current) throw new Error('task missing');
  const { next, stored } = applyEvents(
    current,
    [{ kind: 'status', status: { state: TaskState.Completed } }],
    new Date(clock.now()).toISOString(),
  );
  await store.commit(me, { taskId, expectedVersion: current.version, next, events: stored });
  return { store, clock, taskId };
}

const deps = (store: MemoryTaskStore, clock: ReturnType<typeof testClock>, s: PushSender) => ({
  store,
  sender: s,
  clock,
  logger: silentLogger,
  settings: { suspendAfter: 5, leaseMs: 60_000 },
  dispatcherId: 'test',
});

const goodStates = (taskId: string) =>
  push.receiver.requests
    .filter((r) => r.url === '/good' && r.body.toString().includes(taskId))
    .map((r) => JSON.parse(r.body.toString()).statusUpdate?.status?.state);

describe('push dispatch with one bad config', () => {
  it('still delivers the terminal event to the other config when a token cannot be a header value', async () => {
    const { store, clock, taskId } = await completedTaskWith({ token: '💥' });
    const outcome = await deliverTaskPushes(deps(store, clock, push.sender), me, taskId);
    expect(goodStates(taskId)).toEqual(['TASK_STATE_SUBMITTED', 'TASK_STATE_COMPLETED']);
    expect((await store.getPushConfig(me, taskId, 'b-good'))?.delivery).toEqual({
      lastDeliveredSeq: 2,
      consecutiveFailures: 0,
    });
    const bad = (await store.getPushConfig(me, taskId, 'a-bad'))?.delivery;
    expect(bad?.consecutiveFailures).toBeGreaterThan(0);
    expect(bad?.lastError).toBe('INVALID_HEADER');
    expect(outcome.failed).toBeGreaterThan(0);
    expect(push.receiver.requests.some((r) => r.url === '/bad')).toBe(false);
  });

  it('still delivers to the other config when the sender throws for one, and records that failure', async () => {
    const { store, clock, taskId } = await completedTaskWith({});
    const throwing: PushSender = {
      async send(d) {
        if (d.config.id === 'a-bad') throw new TypeError('unexpected');
        return push.sender.send(d);
      },
    };
    const outcome = await deliverTaskPushes(deps(store, clock, throwing), me, taskId);
    expect(goodStates(taskId)).toEqual(['TASK_STATE_SUBMITTED', 'TASK_STATE_COMPLETED']);
    expect((await store.getPushConfig(me, taskId, 'b-good'))?.delivery?.lastDeliveredSeq).toBe(2);
    expect((await store.getPushConfig(me, taskId, 'a-bad'))?.delivery).toEqual({
      lastDeliveredSeq: 0,
      consecutiveFailures: 1,
      lastError: SENDER_ERROR,
    });
    expect(outcome.retry).toBe(true);
  });

  it('keeps delivering to the other configs when dispatching one fails outside the sender', async () => {
    const { store, clock, taskId } = await completedTaskWith({});
    const flaky = new Proxy(store, {
      get(target, prop, receiverObj) {
        if (prop === 'releasePushLease') {
          return async (...args: Parameters<MemoryTaskStore['releasePushLease']>) => {
            if (args[2] === 'a-bad' && args[4]) throw new Error('store unavailable');
            return target.releasePushLease(...args);
          };
        }
        return Reflect.get(target, prop, receiverObj);
      },
    });
    const outcome = await deliverTaskPushes(deps(flaky, clock, push.sender), me, taskId);
    expect(goodStates(taskId)).toEqual(['TASK_STATE_SUBMITTED', 'TASK_STATE_COMPLETED']);
    expect(outcome.retry).toBe(true);
    // The bad config's cursor did not move: its retry sends those events again.
    expect((await store.getPushConfig(me, taskId, 'a-bad'))?.delivery?.lastDeliveredSeq).toBe(0);
  });

  it("keeps delivering to the other configs when taking one config's lease fails", async () => {
    const { store, clock, taskId } = await completedTaskWith({});
    const flaky = new Proxy(store, {
      get(target, prop, receiverObj) {
        if (prop === 'acquirePushLease') {
          return async (...args: Parameters<MemoryTaskStore['acquirePushLease']>) => {
            if (args[2] === 'a-bad') throw new Error('store unavailable');
            return target.acquirePushLease(...args);
          };
        }
        return Reflect.get(target, prop, receiverObj);
      },
    });
    const outcome = await deliverTaskPushes(deps(flaky, clock, push.sender), me, taskId);
    expect(goodStates(taskId)).toEqual(['TASK_STATE_SUBMITTED', 'TASK_STATE_COMPLETED']);
    expect(outcome).toMatchObject({ retry: true, failed: 1 });
  });
});
