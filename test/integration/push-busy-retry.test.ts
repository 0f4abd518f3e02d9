/**
 * A push trigger that finds its config's lease held by a dispatcher that died (a Lambda that timed
 * out mid-drain) comes back once that lease could have ended, and then delivers. Retried every
 * second instead, it used up its receives and went to the push DLQ while the dead holder's lease
 * still stood, and the task's last event was never delivered. Memory store and the in-process
 * queue on one test clock, the handler Lambda runs, a real webhook sender on loopback.
 */
import { describe, expect, it } from 'vitest';
import { InProcessQueue } from '../../adapters/memory/in-process-queue';
import { MemoryTaskStore } from '../../adapters/memory/memory-task-store';
import { queuePushTrigger } from '../../adapters/push/push-trigger';
import { TaskState } from '../../core/a2a/task-state';
import { silentLogger } from '../../core/ports/logger';
import type { ReceivedMessage } from '../../core/ports/work-queue';
import { createPushDispatcherHandler } from '../../workers/push-dispatcher/handler';
import type { SQSRecord } from '../../workers/runtime/sqs-event';
import { commitStatus, ctx, newTask, pushConfig, testClock } from '../support/factories';
import { useLoopbackPush } from '../support/loopback-push-sender';
import { startReceiver } from '../support/webhook-receivers';

const push = useLoopbackPush();
const me = ctx('tenant-busy', 'alice');
const LEASE_MS = 10_000;

const record = (m: ReceivedMessage): SQSRecord =>
  ({
    messageId: m.messageId,
    receiptHandle: m.receiptHandle,
    body: m.body,
    attributes: { ApproximateReceiveCount: String(m.receiveCount) },
    messageAttributes: {},
  }) as unknown as SQSRecord;

describe('a push trigger that finds the config held by a dispatcher that died', () => {
  it('comes back once the lease could have ended, and delivers, before its receives run out', async () => {
    const clock = testClock();
    const store = new MemoryTaskStore(clock);
    const input = newTask({ tenant: me.principal.tenant, hasPush: true });
    const taskId = input.task.id;
    const config = pushConfig(taskId, { id: 'cfg', url: `${push.receiver.origin}/dead-holder` });
    await store.create(me, { ...input, pushConfigs: [config] });
    // a dispatcher took the config's lease and died before its release
    const taken = await store.acquirePushLease(
      me,
      taskId,
      'cfg',
      { owner: 'dead/run', until: clock.now() + LEASE_MS },
      clock.now(),
    );
    expect(taken).toBeDefined();
    const done = await commitStatus(store, me, taskId, TaskState.Completed, {
      at: new Date(clock.now()).toISOString(),
    });

    const deadLetters = new InProcessQueue({ clock });
    const queue = new InProcessQueue({ clock, maxReceiveCount: 3, deadLetterQueue: deadLetters });
    await queuePushTrigger(queue).taskChanged(me, taskId, done.version);
    const handler = createPushDispatcherHandler({
      store,
      sender: push.sender,
      clock,
      logger: silentLogger,
      settings: { suspendAfter: 5, leaseMs: LEASE_MS },
      dispatcherId: 'live',
      queue,
      backoff: { baseSeconds: 1, maxSeconds: 1 },
    });
    let receives = 0;
    for (let second = 0; second <= LEASE_MS / 1000 + 2; second++) {
      for (const m of await queue.receive({ maxMessages: 10, waitSeconds: 0 })) {
        receives++;
        const out = await handler({ Records: [record(m)] });
        if (out.batchItemFailures.length === 0) await queue.delete(m.receiptHandle);
      }
      clock.advance(1_000);
    }

    expect(deadLetters.approximateCount()).toBe(0);
    expect(queue.approximateCount()).toBe(0);
    expect(receives).toBe(2);
    const states = push.receiver.requests
      .filter((r) => r.url === '/dead-holder')
      .map((r) => JSON.parse(r.body.toString()).statusUpdate?.status?.state);
    expect(states).toContain('TASK_STATE_COMPLETED');
  });
});

describe('several triggers of a task in one batch that find the config busy', () => {
  it('all come back when the lease could have ended, not only the one the dispatch ran for', async () => {
    const clock = testClock();
    const store = new MemoryTaskStore(clock);
    const input = newTask({ tenant: me.principal.tenant, hasPush: true });
    const taskId = input.task.id;
    await store.create(me, {
      ...input,
      pushConfigs: [pushConfig(taskId, { id: 'cfg', url: `${push.receiver.origin}/grouped` })],
    });
    const held = { owner: 'dead/run', until: clock.now() + LEASE_MS };
    expect(await store.acquirePushLease(me, taskId, 'cfg', held, clock.now())).toBeDefined();
    await commitStatus(store, me, taskId, TaskState.Completed);
    const waits = new Map<string, number>();
    const handler = createPushDispatcherHandler({
      store,
      sender: push.sender,
      clock,
      logger: silentLogger,
      settings: { suspendAfter: 5, leaseMs: LEASE_MS },
      dispatcherId: 'live',
      queue: { changeVisibility: async (handle, seconds) => void waits.set(handle, seconds) },
      backoff: { baseSeconds: 1, maxSeconds: 1 },
    });
    const trigger = (i: number, fromSeq: number) =>
      record({
        messageId: `m${i}`,
        receiptHandle: `h${i}`,
        body: JSON.stringify({ v: 1, kind: 'push', tenant: me.principal.tenant, taskId, fromSeq }),
        receiveCount: 1,
        attributes: {},
        sentAt: clock.now(),
      });
    const out = await handler({ Records: [trigger(1, 1), trigger(2, 2)] });
    expect(out.batchItemFailures).toHaveLength(2);
    expect(Object.fromEntries(waits)).toEqual({ h1: LEASE_MS / 1000, h2: LEASE_MS / 1000 });
  });
});

describe('a trigger whose task has one busy config and one that needs a retry', () => {
  it('waits for the busy one (the lease length), not the retry backoff', async () => {
    const clock = testClock();
    const store = new MemoryTaskStore(clock);
    const input = newTask({ tenant: me.principal.tenant, hasPush: true });
    const taskId = input.task.id;
    const failing = await startReceiver((_req, res) => res.writeHead(503).end());
    try {
      await store.create(me, {
        ...input,
        pushConfigs: [
          pushConfig(taskId, { id: 'a-held', url: `${push.receiver.origin}/held` }),
          pushConfig(taskId, { id: 'b-failing', url: `${failing.origin}/down` }),
        ],
      });
      const held = { owner: 'dead/run', until: clock.now() + LEASE_MS };
      expect(await store.acquirePushLease(me, taskId, 'a-held', held, clock.now())).toBeDefined();
      await commitStatus(store, me, taskId, TaskState.Completed);
      const waits: number[] = [];
      const handler = createPushDispatcherHandler({
        store,
        sender: push.sender,
        clock,
        logger: silentLogger,
        settings: { suspendAfter: 5, leaseMs: LEASE_MS },
        dispatcherId: 'live',
        queue: { changeVisibility: async (_handle, seconds) => void waits.push(seconds) },
        backoff: { baseSeconds: 1, maxSeconds: 1 },
      });
      const body = JSON.stringify({ v: 1, kind: 'push', tenant: me.principal.tenant, taskId, fromSeq: 1 });
      const out = await handler({
        Records: [
          record({ messageId: 'm', receiptHandle: 'h', body, receiveCount: 1, attributes: {}, sentAt: 0 }),
        ],
      });
      expect(out.batchItemFailures).toHaveLength(1);
      expect(failing.requests.length).toBeGreaterThan(0);
      expect(waits).toEqual([LEASE_MS / 1000]);
    } finally {
      await failing.close();
    }
  });
});
