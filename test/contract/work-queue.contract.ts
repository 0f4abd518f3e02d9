/**
 * The WorkQueue contract: SQS semantics as moto 5.1.1 shows them. Runs against SqsWorkQueue on
 * moto (test/integration/sqs-work-queue.test.ts) and InProcessQueue (test/unit/in-process-queue.test.ts);
 * when the twin and moto disagree, this suite fails for the twin.
 *
 * Fair delivery across message groups (SQS fair queues, 2025: MessageGroupId on a standard queue)
 * is asserted only where the queue implements it: moto 5.1.1 refuses MessageGroupId on a standard
 * queue (test/integration/sqs-work-queue.test.ts pins that), so SqsWorkQueue on moto runs with
 * message groups off and its fixture says `fairGroups: false`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReceivedMessage, ReceiveOptions, WorkQueue } from '../../core/ports/work-queue';

/** Contract timings: a 1 s default visibility timeout, redrive after 2 receives. */
export const CONTRACT_VISIBILITY_TIMEOUT_SECONDS = 1;
export const CONTRACT_MAX_RECEIVE_COUNT = 2;

export interface WorkQueueFixture {
  /** a fresh, empty queue: visibility timeout 1 s, redrive to `dlq` after 2 receives */
  queue: WorkQueue;
  /** its fresh, empty dead-letter queue */
  dlq: WorkQueue;
  cleanup(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Long enough for any message that is due to become visible to show up (moto checks once a second). */
const LONG_POLL: ReceiveOptions = { maxMessages: 10, waitSeconds: 5 };
const NOW: ReceiveOptions = { maxMessages: 10, waitSeconds: 0 };

async function receiveOne(queue: WorkQueue, options: ReceiveOptions = LONG_POLL): Promise<ReceivedMessage> {
  const messages = await queue.receive(options);
  expect(messages).toHaveLength(1);
  const [message] = messages;
  if (message === undefined) throw new Error('unreachable');
  return message;
}

export interface WorkQueueCapabilities {
  /** the queue delivers fairly across message groups (SendOptions.group) */
  fairGroups: boolean;
}

export function workQueueContract(
  name: string,
  make: () => Promise<WorkQueueFixture>,
  capabilities: WorkQueueCapabilities,
): void {
  describe(`WorkQueue contract: ${name}`, () => {
    let fixture: WorkQueueFixture;
    let queue: WorkQueue;
    let dlq: WorkQueue;

    beforeEach(async () => {
      fixture = await make();
      ({ queue, dlq } = fixture);
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('delivers a sent message once and forgets it after delete', async () => {
      await queue.send('{"hello":"world"}');
      // visibility 0: were it not deleted, the message would be visible again at once
      const message = await receiveOne(queue, { ...LONG_POLL, visibilityTimeoutSeconds: 0 });
      expect(message).toMatchObject({ body: '{"hello":"world"}', receiveCount: 1 });
      await queue.delete(message.receiptHandle);
      expect(await queue.receive(NOW)).toEqual([]);
    });

    it('round-trips string attributes and reports when the message was sent', async () => {
      const before = Date.now();
      await queue.send('with attributes', {
        attributes: { traceparent: '00-4bf92f-00f067-01', tenant: 'acme' },
      });
      await queue.send('without attributes');
      const after = Date.now();
      const messages = [await receiveOne(queue, { maxMessages: 1, waitSeconds: 5 })];
      messages.push(await receiveOne(queue, { maxMessages: 1, waitSeconds: 5 }));
      const byBody = Object.fromEntries(messages.map((m) => [m.body, m]));
      expect(byBody['with attributes']?.attributes).toEqual({
        traceparent: '00-4bf92f-00f067-01',
        tenant: 'acme',
      });
      expect(byBody['without attributes']?.attributes).toEqual({});
      for (const message of messages) {
        expect(message.sentAt).toBeGreaterThanOrEqual(before - 1000);
        expect(message.sentAt).toBeLessThanOrEqual(after + 1000);
        expect(message.messageId).not.toBe('');
      }
    });

    it('rejects an empty body and an empty attribute value', async () => {
      await expect(queue.send('')).rejects.toMatchObject({ name: 'InvalidParameterValue' });
      await expect(queue.send('body', { attributes: { traceparent: '' } })).rejects.toMatchObject({
        name: 'InvalidParameterValue',
      });
      expect(await queue.receive(NOW)).toEqual([]);
    });

    it('hides a received message until its visibility timeout passes, then redelivers it with a higher receive count', async () => {
      await queue.send('work');
      const first = await receiveOne(queue);
      expect(await queue.receive(NOW)).toEqual([]);
      const second = await receiveOne(queue);
      expect(second).toMatchObject({ messageId: first.messageId, body: 'work', receiveCount: 2 });
      expect(second.receiptHandle).not.toBe(first.receiptHandle);
      expect(second.sentAt).toBe(first.sentAt);
    });

    it('extends the visibility timeout with changeVisibility', async () => {
      await queue.send('slow work');
      const first = await receiveOne(queue);
      await queue.changeVisibility(first.receiptHandle, 3);
      await sleep((CONTRACT_VISIBILITY_TIMEOUT_SECONDS + 0.5) * 1000);
      expect(await queue.receive(NOW)).toEqual([]);
      const again = await receiveOne(queue);
      expect(again).toMatchObject({ messageId: first.messageId, receiveCount: 2 });
    });

    it('makes a message visible at once with changeVisibility(0), overriding a long per-receive timeout', async () => {
      await queue.send('give it back');
      const first = await receiveOne(queue, { ...LONG_POLL, visibilityTimeoutSeconds: 60 });
      expect(await queue.receive(NOW)).toEqual([]);
      await queue.changeVisibility(first.receiptHandle, 0);
      const again = await receiveOne(queue, NOW);
      expect(again).toMatchObject({ messageId: first.messageId, receiveCount: 2 });
    });

    it('holds a delayed message back until its delay has passed', async () => {
      await queue.send('later', { delaySeconds: 1 });
      expect(await queue.receive(NOW)).toEqual([]);
      const message = await receiveOne(queue);
      expect(message).toMatchObject({ body: 'later', receiveCount: 1 });
    });

    it('rejects a delay above 900 seconds and batches above 10', async () => {
      await expect(queue.send('x', { delaySeconds: 901 })).rejects.toMatchObject({
        name: 'InvalidParameterValue',
      });
      await expect(queue.receive({ maxMessages: 11, waitSeconds: 0 })).rejects.toThrow(/MaxNumberOfMessages/);
    });

    it('moves a message to the dead-letter queue instead of receiving it a (maxReceiveCount + 1)th time', async () => {
      await queue.send('poison', { attributes: { tenant: 'acme' } });
      const received: ReceivedMessage[] = [];
      for (let i = 0; i < CONTRACT_MAX_RECEIVE_COUNT; i += 1) {
        received.push(
          await receiveOne(queue, { maxMessages: 10, waitSeconds: 0, visibilityTimeoutSeconds: 0 }),
        );
      }
      expect(received.map((m) => m.receiveCount)).toEqual([1, 2]);
      expect(await queue.receive({ maxMessages: 10, waitSeconds: 0, visibilityTimeoutSeconds: 0 })).toEqual(
        [],
      );
      const dead = await receiveOne(dlq, NOW);
      // the redriven message keeps its id, body, attributes, sent time and receive count
      expect(dead).toMatchObject({
        messageId: received[0]?.messageId,
        body: 'poison',
        attributes: { tenant: 'acme' },
        sentAt: received[0]?.sentAt,
        receiveCount: CONTRACT_MAX_RECEIVE_COUNT + 1,
      });
    });

    it('answers a long poll as soon as a message arrives', async () => {
      const poll = queue.receive({ maxMessages: 10, waitSeconds: 20 });
      await sleep(300);
      await queue.send('arrived');
      // the poll must not sit out its 20 s window; 10 s leaves moto's 1 s polling ample room
      const outcome = await Promise.race([poll, sleep(10_000).then(() => 'still waiting' as const)]);
      expect(outcome).not.toBe('still waiting');
      expect(outcome).toMatchObject([{ body: 'arrived' }]);
    });

    it('answers an idle long poll with no messages once the wait is over', async () => {
      expect(await queue.receive({ maxMessages: 10, waitSeconds: 1 })).toEqual([]);
    });

    it('receives up to 10 messages in one batch and never more than maxMessages', async () => {
      const bodies = Array.from({ length: 12 }, (_, i) => `message ${i}`);
      for (const body of bodies) await queue.send(body);
      // AWS may answer with fewer than asked for; moto and the twin fill the batch
      const batch = await queue.receive({ maxMessages: 10, waitSeconds: 5 });
      expect(batch).toHaveLength(10);
      const rest = await queue.receive({ maxMessages: 3, waitSeconds: 5 });
      expect(rest).toHaveLength(2);
      expect(new Set([...batch, ...rest].map((m) => m.body))).toEqual(new Set(bodies));
    });

    it('accepts a receipt handle from an earlier receive of a message that was received again (moto)', async () => {
      // AWS documents that a stale handle "might not" delete the message; moto always deletes it,
      // and so does the twin. Code must not rely on either: it deletes with the latest handle.
      await queue.send('received twice');
      const first = await receiveOne(queue, { maxMessages: 10, waitSeconds: 0, visibilityTimeoutSeconds: 0 });
      const second = await receiveOne(queue, {
        maxMessages: 10,
        waitSeconds: 0,
        visibilityTimeoutSeconds: 0,
      });
      expect(second.receiptHandle).not.toBe(first.receiptHandle);
      await queue.delete(first.receiptHandle);
      // a third receive would redrive a surviving message, so look in both queues
      expect(await queue.receive(NOW)).toEqual([]);
      expect(await dlq.receive(NOW)).toEqual([]);
    });

    it('accepts deleting a deleted message again, but not changing its visibility', async () => {
      await queue.send('done');
      const message = await receiveOne(queue);
      await queue.delete(message.receiptHandle);
      await expect(queue.delete(message.receiptHandle)).resolves.toBeUndefined();
      await expect(queue.changeVisibility(message.receiptHandle, 0)).rejects.toMatchObject({
        name: 'ReceiptHandleIsInvalid',
      });
    });

    it('accepts a message group on send and delivers the message', async () => {
      await queue.send('grouped', { group: 'tenant-a' });
      expect(await receiveOne(queue)).toMatchObject({ body: 'grouped', receiveCount: 1 });
    });

    if (capabilities.fairGroups) {
      it("serves a quiet group's messages before a noisy group's backlog", async () => {
        for (let i = 0; i < 5; i += 1) await queue.send(`noisy ${i}`, { group: 'noisy' });
        await queue.send('quiet 0', { group: 'quiet' });
        await queue.send('quiet 1', { group: 'quiet' });
        const held = { waitSeconds: 0, visibilityTimeoutSeconds: 60 };
        // both groups idle: the older message first, then alternating by messages in flight
        const batch = await queue.receive({ ...held, maxMessages: 3 });
        expect(batch.map((m) => m.body)).toEqual(['noisy 0', 'quiet 0', 'noisy 1']);
        // noisy has 2 in flight, quiet 1: quiet's next message comes before noisy's backlog
        expect((await receiveOne(queue, { ...held, maxMessages: 1 })).body).toBe('quiet 1');
        const rest = await queue.receive({ ...held, maxMessages: 10 });
        expect(rest.map((m) => m.body)).toEqual(['noisy 2', 'noisy 3', 'noisy 4']);
      });
    }

    it('rejects a receipt handle it never issued', async () => {
      await expect(queue.delete('not-a-receipt-handle')).rejects.toMatchObject({
        name: 'ReceiptHandleIsInvalid',
      });
      await expect(queue.changeVisibility('not-a-receipt-handle', 5)).rejects.toMatchObject({
        name: 'ReceiptHandleIsInvalid',
      });
    });
  });
}
