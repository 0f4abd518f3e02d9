/**
 * Two dispatchers, one config: an event committed after the lease holder's last read of the log,
 * whose trigger finds the config busy, is delivered by the holder in the same dispatch (it looks
 * at the log again after releasing the lease) rather than a second later by the busy trigger's
 * retry; and a holder knocked in its every round has its own trigger back in a second. Real
 * webhook sender on loopback, memory store.
 */
import { describe, expect, it } from 'vitest';
import { MemoryTaskStore } from '../../adapters/memory/memory-task-store';
import { TaskState } from '../../core/a2a/task-state';
import { silentLogger } from '../../core/ports/logger';
import type { TaskStore } from '../../core/ports/task-store';
import { deliverTaskPushes } from '../../workers/push-dispatcher/deliver-pushes';
import { createPushDispatcherHandler } from '../../workers/push-dispatcher/handler';
import type { SQSRecord } from '../../workers/runtime/sqs-event';
import { commitStatus, ctx, newTask, pushConfig, testClock } from '../support/factories';
import { useLoopbackPush } from '../support/loopback-push-sender';

const push = useLoopbackPush();

const me = ctx('tenant-handoff', 'alice');

/** A task with one push config to `path` on the loopback receiver, in a memory store on a test clock. */
async function taskWithConfig(path: string) {
  const clock = testClock();
  const base = new MemoryTaskStore(clock);
  const input = newTask({ tenant: me.principal.tenant });
  const taskId = input.task.id;
  const config = { ...pushConfig(taskId, { id: 'cfg', url: `${push.receiver.origin}${path}` }) };
  await base.create(me, { ...input, task: { ...input.task, hasPush: true }, pushConfigs: [config] });
  const deps = (store: TaskStore, dispatcherId: string) => ({
    store,
    sender: push.sender,
    clock,
    logger: silentLogger,
    settings: { suspendAfter: 5, leaseMs: 60_000 },
    dispatcherId,
  });
  return { clock, base, taskId, deps };
}

describe('push dispatch', () => {
  it('delivers an event committed while it held the lease, which another dispatcher found busy', async () => {
    const { clock, base, taskId, deps } = await taskWithConfig('/handoff');
    let other: Awaited<ReturnType<typeof deliverTaskPushes>> | undefined;
    // Just before the holder releases its lease (its last read found nothing newer), the worker
    // commits COMPLETED and that commit's trigger runs a second dispatcher.
    const holderStore = new Proxy(base, {
      get(target, prop, receiverObj) {
        if (prop === 'releasePushLease') {
          return async (...args: Parameters<TaskStore['releasePushLease']>) => {
            if (!other) {
              await commitStatus(target, me, taskId, TaskState.Completed, {
                at: new Date(clock.now()).toISOString(),
              });
              other = await deliverTaskPushes(deps(target, 'second'), me, taskId);
            }
            return target.releasePushLease(...args);
          };
        }
        return Reflect.get(target, prop, receiverObj);
      },
    });
    const outcome = await deliverTaskPushes(deps(holderStore, 'holder'), me, taskId);
    expect(other).toMatchObject({ busy: true, delivered: 0 });
    expect(outcome).toMatchObject({ delivered: 2, retry: false, busy: false });
    const states = push.receiver.requests
      .filter((r) => r.url === '/handoff')
      .map((r) => JSON.parse(r.body.toString()).statusUpdate?.status?.state);
    expect(states).toEqual(['TASK_STATE_SUBMITTED', 'TASK_STATE_COMPLETED']);
    expect((await base.getPushConfig(me, taskId, 'cfg'))?.delivery?.lastDeliveredSeq).toBe(2);
  });
});

describe('push dispatch that is knocked in every round', () => {
  it("stops after its last round and has its own trigger back in a second, not at the knocker's retry", async () => {
    const { clock, base, taskId, deps } = await taskWithConfig('/knocked');
    // Before every release, the task moves on and another dispatcher finds the config busy.
    const others: Awaited<ReturnType<typeof deliverTaskPushes>>[] = [];
    const holderStore = new Proxy(base, {
      get(target, prop, receiverObj) {
        if (prop === 'releasePushLease') {
          return async (...args: Parameters<TaskStore['releasePushLease']>) => {
            await commitStatus(target, me, taskId, TaskState.Working, {
              at: new Date(clock.now()).toISOString(),
            });
            others.push(await deliverTaskPushes(deps(target, `other-${others.length}`), me, taskId));
            return target.releasePushLease(...args);
          };
        }
        return Reflect.get(target, prop, receiverObj);
      },
    });
    const visibility: number[] = [];
    const handler = createPushDispatcherHandler({
      ...deps(holderStore, 'holder'),
      queue: { changeVisibility: async (_handle, seconds) => void visibility.push(seconds) },
      backoff: { baseSeconds: 1, maxSeconds: 1 },
    });
    const body = JSON.stringify({ v: 1, kind: 'push', tenant: me.principal.tenant, taskId, fromSeq: 1 });
    const out = await handler({
      Records: [
        {
          messageId: 'm1',
          receiptHandle: 'h1',
          body,
          attributes: { ApproximateReceiveCount: '1' },
          messageAttributes: {},
        } as unknown as SQSRecord,
      ],
    });
    expect(others).toHaveLength(4);
    expect(others.every((o) => o.busy)).toBe(true);
    // four rounds sent seq 1 and the three events committed before the first three releases
    expect(requestsTo('/knocked')).toHaveLength(4);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(visibility).toEqual([1]);
  });
});

function requestsTo(path: string) {
  return push.receiver.requests.filter((r) => r.url === path);
}
