import { describe, expect, it } from 'vitest';
import { InProcessQueue } from '../../adapters/memory/in-process-queue';
import {
  CONTRACT_MAX_RECEIVE_COUNT,
  CONTRACT_VISIBILITY_TIMEOUT_SECONDS,
  workQueueContract,
} from '../contract/work-queue.contract';

workQueueContract(
  'InProcessQueue',
  async () => {
    const dlq = new InProcessQueue();
    const queue = new InProcessQueue({
      visibilityTimeoutSeconds: CONTRACT_VISIBILITY_TIMEOUT_SECONDS,
      maxReceiveCount: CONTRACT_MAX_RECEIVE_COUNT,
      deadLetterQueue: dlq,
    });
    return {
      queue,
      dlq,
      cleanup: async () => {
        queue.close();
        dlq.close();
      },
    };
  },
  { fairGroups: true },
);

describe('InProcessQueue', () => {
  it('counts visible, in-flight and delayed messages, and forgets deleted ones', async () => {
    const queue = new InProcessQueue();
    await queue.send('visible');
    await queue.send('in flight');
    await queue.send('delayed', { delaySeconds: 60 });
    const [first] = await queue.receive({ maxMessages: 1, waitSeconds: 0 });
    expect(queue.approximateCount()).toBe(3);
    await queue.delete(first?.receiptHandle ?? '');
    expect(queue.approximateCount()).toBe(2);
  });

  it('answers pending long polls with no messages when closed', async () => {
    const queue = new InProcessQueue();
    const polls = [
      queue.receive({ maxMessages: 10, waitSeconds: 20 }),
      queue.receive({ maxMessages: 1, waitSeconds: 20 }),
    ];
    queue.close();
    expect(await Promise.all(polls)).toEqual([[], []]);
    await queue.send('after close');
    expect(await queue.receive({ maxMessages: 10, waitSeconds: 20 })).toMatchObject([
      { body: 'after close' },
    ]);
  });

  it('serves concurrent long polls in arrival order, one message each', async () => {
    const queue = new InProcessQueue();
    const first = queue.receive({ maxMessages: 10, waitSeconds: 20 });
    const second = queue.receive({ maxMessages: 10, waitSeconds: 20 });
    await queue.send('a');
    await queue.send('b');
    expect(await first).toMatchObject([{ body: 'a' }]);
    expect(await second).toMatchObject([{ body: 'b' }]);
  });

  it('uses the queue default of 30 s visibility', async () => {
    const queue = new InProcessQueue();
    await queue.send('work');
    const [message] = await queue.receive({ maxMessages: 1, waitSeconds: 0 });
    await queue.changeVisibility(message?.receiptHandle ?? '', 29);
    // the 43 200 s ceiling is checked against the request, like SQS
    await expect(queue.changeVisibility(message?.receiptHandle ?? '', 43_201)).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    expect(await queue.receive({ maxMessages: 1, waitSeconds: 0 })).toEqual([]);
  });

  it('drops a message whose coalesceKey names a held message not yet received, and only then', async () => {
    const queue = new InProcessQueue();
    await queue.send('task-1 first', { coalesceKey: 'task-1' });
    await queue.send('task-1 second', { coalesceKey: 'task-1' });
    await queue.send('task-2', { coalesceKey: 'task-2' });
    expect(queue.approximateCount()).toBe(2);
    const received = await queue.receive({ maxMessages: 10, waitSeconds: 0 });
    expect(received.map((m) => m.body)).toEqual(['task-1 first', 'task-2']);
    // Received once (its reader may have read the log already), even if visible again: a new one
    // is kept, and later ones fold into that new one.
    await queue.changeVisibility(received[0]?.receiptHandle ?? '', 0);
    await queue.send('task-1 third', { coalesceKey: 'task-1' });
    await queue.send('task-1 fourth', { coalesceKey: 'task-1' });
    const again = await queue.receive({ maxMessages: 10, waitSeconds: 0 });
    expect(again.map((m) => m.body)).toEqual(['task-1 first', 'task-1 third']);
    expect(queue.approximateCount()).toBe(3);
  });

  it('receives a message whose visibility ran out in its send order, before later ones of its group', async () => {
    const queue = new InProcessQueue();
    for (const body of ['a1', 'a2', 'a3']) await queue.send(body, { group: 'a' });
    await queue.send('solo');
    const [a1] = await queue.receive({ maxMessages: 1, waitSeconds: 0 });
    const [solo] = await queue.receive({ maxMessages: 1, waitSeconds: 0 });
    expect([a1?.body, solo?.body]).toEqual(['a1', 'solo']);
    await queue.changeVisibility(a1?.receiptHandle ?? '', 0);
    await queue.changeVisibility(solo?.receiptHandle ?? '', 0);
    const all = await queue.receive({ maxMessages: 10, waitSeconds: 0 });
    // group a has nothing in flight again; its messages interleave with the solo one by send order
    expect(all.map((m) => m.body)).toEqual(['a1', 'solo', 'a2', 'a3']);
  });

  it('refuses a maxReceiveCount without a dead-letter queue', () => {
    expect(() => new InProcessQueue({ maxReceiveCount: 3 })).toThrow(/deadLetterQueue/);
  });
});

describe('InProcessQueue memory', () => {
  it('remembers the receipt handles of the last 10,000 deleted messages only', async () => {
    const queue = new InProcessQueue();
    const handles: string[] = [];
    for (let i = 0; i < 10_001; i++) {
      await queue.send(`m${i}`);
      const [m] = await queue.receive({ maxMessages: 1, waitSeconds: 0 });
      if (!m) throw new Error('no message');
      await queue.delete(m.receiptHandle);
      handles.push(m.receiptHandle);
    }
    // Deleting again still succeeds for the recent ones; the oldest handle is forgotten.
    await expect(queue.delete(handles[10_000] as string)).resolves.toBeUndefined();
    await expect(queue.delete(handles[1] as string)).resolves.toBeUndefined();
    await expect(queue.delete(handles[0] as string)).rejects.toMatchObject({
      code: 'ReceiptHandleIsInvalid',
    });
    expect(queue.approximateCount()).toBe(0);
  });
});
