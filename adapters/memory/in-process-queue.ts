/**
 * In-process WorkQueue with the SQS semantics that moto 5.1.1 shows (and the shared contract
 * suite checks): visibility timeout (queue default, per-receive override, changeVisibility),
 * receive count, DelaySeconds, long polling, and redrive to a dead-letter queue when a message
 * that was already received maxReceiveCount times would be received again.
 *
 * Fair delivery across message groups (SQS fair queues; moto 5.1.1 does not implement them): each
 * message received goes to the group with the fewest messages in flight, ties to the group whose
 * next message was sent first. One group's backlog therefore takes no more than its share of the
 * receivers, and another group's first message is received next. Within a group, send order.
 * An index (queue-index.ts) keeps the receivable messages per group and the others by the time
 * they become visible, so a receive does not look at every message held.
 *
 * Coalescing (SendOptions.coalesceKey, which SQS does not have): a message sent with the key of
 * a message that is held and has never been received is dropped; that one is received later and
 * stands for both (push triggers: one dispatch reads the log once for every commit it covers).
 *
 * Receipt handles follow moto: every handle a message was ever given deletes it or changes its
 * visibility (AWS only promises this for the latest one); deleting an already deleted message
 * succeeds; an unknown handle throws ReceiptHandleIsInvalid. The handles of deleted messages are
 * remembered for the last MAX_DELETED_HANDLES of them only, so a long-running queue holds memory
 * for the messages it holds, not for every message it ever had.
 *
 * Time: `clock.now()` decides visibility; waiting uses real timers, so a custom clock must move
 * with real time (vitest's fake timers move both together).
 */
import { type Clock, flatUuid, systemClock } from '../../core/ports/clock';
import type { ReceivedMessage, ReceiveOptions, SendOptions, WorkQueue } from '../../core/ports/work-queue';
import { QueueIndex } from './queue-index';
import { checkMessage, checkRange, invalidReceiptHandle } from './queue-requests';

export { QueueRequestError } from './queue-requests';

export interface InProcessQueueOptions {
  /** default 30, like SQS */
  visibilityTimeoutSeconds?: number;
  /** needs deadLetterQueue */
  maxReceiveCount?: number;
  deadLetterQueue?: InProcessQueue;
  clock?: Clock;
}

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** the fairness group; a message sent without one is a group of its own */
  readonly group: string | undefined;
  /** send order in this queue (a redriven message gets a new one) */
  readonly order: number;
  readonly coalesceKey: string | undefined;
  readonly sentAt: number;
  receiveCount: number;
  /** epoch ms from which it can be received (covers DelaySeconds and in-flight) */
  visibleAt: number;
  readonly receiptHandles: string[];
}

interface Waiter {
  readonly options: ReceiveOptions;
  readonly resolve: (messages: ReceivedMessage[]) => void;
  readonly timer: NodeJS.Timeout;
}

const DELETED = Symbol('deleted');
/** Handles of deleted messages still recognised (deleting again succeeds); older ones are forgotten. */
export const MAX_DELETED_HANDLES = 10_000;

export class InProcessQueue implements WorkQueue {
  private readonly visibilityTimeoutSeconds: number;
  private readonly maxReceiveCount: number | undefined;
  private readonly deadLetterQueue: InProcessQueue | undefined;
  private readonly clock: Clock;
  /** by messageId */
  private readonly messages = new Map<string, StoredMessage>();
  private readonly index = new QueueIndex<StoredMessage>();
  private sent = 0;
  /** coalesceKey -> the message with that key not yet received */
  private readonly unreceived = new Map<string, StoredMessage>();
  private readonly byReceiptHandle = new Map<string, StoredMessage | typeof DELETED>();
  /** handles marked DELETED in byReceiptHandle, oldest first (bounded by MAX_DELETED_HANDLES) */
  private readonly deletedHandles = new Set<string>();
  private readonly waiters = new Set<Waiter>();
  private wakeTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: InProcessQueueOptions = {}) {
    if ((options.maxReceiveCount === undefined) !== (options.deadLetterQueue === undefined)) {
      throw new TypeError('maxReceiveCount and deadLetterQueue go together (an SQS redrive policy)');
    }
    this.visibilityTimeoutSeconds = checkRange(
      'VisibilityTimeout',
      options.visibilityTimeoutSeconds ?? 30,
      0,
      43_200,
    );
    this.maxReceiveCount =
      options.maxReceiveCount === undefined
        ? undefined
        : checkRange('maxReceiveCount', options.maxReceiveCount, 1, 1000);
    this.deadLetterQueue = options.deadLetterQueue;
    this.clock = options.clock ?? systemClock;
  }

  async send(body: string, options: SendOptions = {}): Promise<void> {
    const attributes = { ...options.attributes };
    checkMessage(body, attributes);
    const delaySeconds = checkRange('DelaySeconds', options.delaySeconds ?? 0, 0, 900);
    const key = options.coalesceKey;
    const pending = key === undefined ? undefined : this.unreceived.get(key);
    if (pending && pending.receiveCount === 0 && this.messages.get(pending.messageId) === pending) return;
    const now = this.clock.now();
    const message: StoredMessage = {
      messageId: flatUuid(),
      body,
      attributes,
      group: options.group,
      order: this.sent++,
      coalesceKey: key,
      sentAt: now,
      receiveCount: 0,
      visibleAt: now + delaySeconds * 1000,
      receiptHandles: [],
    };
    this.messages.set(message.messageId, message);
    this.index.add(message);
    if (key !== undefined) this.unreceived.set(key, message);
    this.serveWaiters();
  }

  async receive(options: ReceiveOptions): Promise<ReceivedMessage[]> {
    checkRange('MaxNumberOfMessages', options.maxMessages, 1, 10);
    checkRange('WaitTimeSeconds', options.waitSeconds, 0, 20);
    if (options.visibilityTimeoutSeconds !== undefined) {
      checkRange('VisibilityTimeout', options.visibilityTimeoutSeconds, 0, 43_200);
    }
    const received = this.take(options);
    if (received.length > 0 || options.waitSeconds === 0 || this.closed) return received;
    return new Promise((resolve) => {
      const waiter: Waiter = {
        options,
        resolve,
        timer: setTimeout(() => this.settle(waiter, this.take(options)), options.waitSeconds * 1000),
      };
      this.waiters.add(waiter);
      this.scheduleWake();
    });
  }

  async delete(receiptHandle: string): Promise<void> {
    const message = this.byReceiptHandle.get(receiptHandle);
    if (message === DELETED) return;
    if (message === undefined) throw invalidReceiptHandle();
    this.messages.delete(message.messageId);
    this.index.remove(message);
    for (const handle of message.receiptHandles) {
      this.byReceiptHandle.set(handle, DELETED);
      this.deletedHandles.add(handle);
    }
    for (const oldest of this.deletedHandles) {
      if (this.deletedHandles.size <= MAX_DELETED_HANDLES) break;
      this.deletedHandles.delete(oldest);
      this.byReceiptHandle.delete(oldest);
    }
  }

  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    checkRange('VisibilityTimeout', seconds, 0, 43_200);
    const message = this.byReceiptHandle.get(receiptHandle);
    if (message === undefined || message === DELETED) throw invalidReceiptHandle();
    this.index.hide(message, this.clock.now() + seconds * 1000);
    this.serveWaiters();
  }

  /** Messages held: visible + in flight + delayed (what SQS reports in its three counters). */
  approximateCount(): number {
    return this.messages.size;
  }

  /** Resolves pending long polls with no messages; later receives no longer wait. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiters) this.settle(waiter, []);
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
  }

  /**
   * Receives up to maxMessages visible messages, fairly across groups (see the header), moving
   * over-received ones to the DLQ.
   */
  private take(options: ReceiveOptions): ReceivedMessage[] {
    const now = this.clock.now();
    const visibilityMs = (options.visibilityTimeoutSeconds ?? this.visibilityTimeoutSeconds) * 1000;
    this.index.promote(now, (message) => this.deadLetter(message));
    const received: ReceivedMessage[] = [];
    while (received.length < options.maxMessages) {
      const message = this.index.next();
      if (message === undefined) break;
      // randomUUID draws from Node's cached entropy (randomBytes here cost ~3 % of the stack's
      // CPU), flattened: the handles of deleted messages are kept a while (see delete)
      const receiptHandle = flatUuid();
      message.receiveCount += 1;
      this.index.hide(message, now + visibilityMs);
      message.receiptHandles.push(receiptHandle);
      this.byReceiptHandle.set(receiptHandle, message);
      if (message.coalesceKey !== undefined && this.unreceived.get(message.coalesceKey) === message)
        this.unreceived.delete(message.coalesceKey);
      received.push({
        messageId: message.messageId,
        body: message.body,
        receiptHandle,
        receiveCount: message.receiveCount,
        attributes: { ...message.attributes },
        sentAt: message.sentAt,
      });
    }
    return received;
  }

  /** A message received maxReceiveCount times that would be received again goes to the DLQ. */
  private deadLetter(message: StoredMessage): boolean {
    if (this.maxReceiveCount === undefined || message.receiveCount < this.maxReceiveCount) return false;
    this.messages.delete(message.messageId);
    this.index.remove(message);
    for (const handle of message.receiptHandles) this.byReceiptHandle.delete(handle);
    this.deadLetterQueue?.adopt(message);
    return true;
  }

  /** A message redriven from another queue keeps its id, handles, sentAt and receive count. */
  private adopt(redriven: StoredMessage): void {
    const message: StoredMessage = { ...redriven, order: this.sent++ };
    this.messages.set(message.messageId, message);
    this.index.add(message);
    for (const handle of message.receiptHandles) this.byReceiptHandle.set(handle, message);
    this.serveWaiters();
  }

  private serveWaiters(): void {
    for (const waiter of this.waiters) {
      const received = this.take(waiter.options);
      if (received.length > 0) this.settle(waiter, received);
    }
    this.scheduleWake();
  }

  private settle(waiter: Waiter, received: ReceivedMessage[]): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    waiter.resolve(received);
    if (this.waiters.size === 0) this.scheduleWake();
  }

  /** One timer, for the moment the next delayed or in-flight message becomes visible. */
  private scheduleWake(): void {
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    if (this.waiters.size === 0 || this.closed) return;
    const now = this.clock.now();
    const next = this.index.nextVisibleAt();
    if (next === undefined) return;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = undefined;
        this.serveWaiters();
      },
      Math.max(0, next - now),
    );
  }
}
