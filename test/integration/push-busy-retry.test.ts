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
import { createPushDispatcherHandler, type PushHandlerDeps } from '../../workers/push-dispatcher/handler';
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

/** A trigger of `taskId` as the handler receives it. */
const trigger = (taskId: string, id: string, fromSeq: number): SQSRecord =>
  record({
    messageId: `m-${id}`,
    receiptHandle: `h-${id}`,
    body: JSON.stringify({ v: 1, kind: 'push', tenant: me.principal.tenant, taskId, fromSeq }),
    receiveCount: 1,
    attributes: {},
    sentAt: 0,
  });

/**
 * A COMPLETED task with push configs (id -> url) in a memory store on a test clock, the first
 * config's lease held by a dispatcher that died; and the push handler Lambda runs over it.
 */
async function taskWithDeadHolder(
  configs: Record<string, string>,
  queue: PushHandlerDeps['queue'],
  clock = testClock(),
) {
  const store = new MemoryTaskStore(clock);
  const input = newTask({ tenant: me.principal.tenant, hasPush: true });
  const taskId = input.task.id;
  const pushConfigs = Object.entries(configs).map(([id, url]) => pushConfig(taskId, { id, url }));
  await store.create(me, { ...input, pushConfigs });
  const held = { owner: 'dead/run', until: clock.now() + LEASE_MS };
  expect(
    await store.acquirePushLease(me, taskId, Object.keys(configs)[0] ?? '', held, clock.now()),
  ).toBeDefined();
  const done = await commitStatus(store, me, taskId, TaskState.Completed, {
    at: new Date(clock.now()).toISOString(),
  });
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
  return { taskId, version: done.version, handler };
}

/** Records the wait the handler sets per receipt handle. */
function recordingVisibility() {
  const waits = new Map<string, number>();
  return {
    waits,
    changeVisibility: async (handle: string, seconds: number) => void waits.set(handle, seconds),
  };
}

describe('a push trigger that finds the config held by a dispatcher that died', () => {
  it('comes back once the lease could have ended, and delivers, before its receives run out', async () => {
    const clock = testClock();
    const deadLetters = new InProcessQueue({ clock });
    const queue = new InProcessQueue({ clock, maxReceiveCount: 3, deadLetterQueue: deadLetters });
    const { taskId, version, handler } = await taskWithDeadHolder(
      { cfg: `${push.receiver.origin}/dead-holder` },
      queue,
      clock,
    );
    await queuePushTrigger(queue).taskChanged(me, taskId, version);
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
    const visibility = recordingVisibility();
    const { taskId, handler } = await taskWithDeadHolder(
      { cfg: `${push.receiver.origin}/grouped` },
      visibility,
    );
    const out = await handler({ Records: [trigger(taskId, '1', 1), trigger(taskId, '2', 2)] });
    expect(out.batchItemFailures).toHaveLength(2);
    expect(Object.fromEntries(visibility.waits)).toEqual({ 'h-1': LEASE_MS / 1000, 'h-2': LEASE_MS / 1000 });
  });
});

describe('a trigger whose task has one busy config and one that needs a retry', () => {
  it('waits for the busy one (the lease length), not the retry backoff', async () => {
    const failing = await startReceiver((_req, res) => res.writeHead(503).end());
    try {
      const visibility = recordingVisibility();
      const { taskId, handler } = await taskWithDeadHolder(
        { 'a-held': `${push.receiver.origin}/held`, 'b-failing': `${failing.origin}/down` },
        visibility,
      );
      const out = await handler({ Records: [trigger(taskId, 'one', 1)] });
      expect(out.batchItemFailures).toHaveLength(1);
      expect(failing.requests.length).toBeGreaterThan(0);
      expect(Object.fromEntries(visibility.waits)).toEqual({ 'h-one': LEASE_MS / 1000 });
    } finally {
      await failing.close();
    }
  });
});
