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
