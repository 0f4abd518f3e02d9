/**
 * WorkQueue: a queue with SQS semantics (at-least-once, visibility timeout, receive count,
 * redrive to a DLQ after maxReceiveCount, delay, fair delivery across message groups).
 * Implementations: SqsWorkQueue (real SQS / moto) and InProcessQueue; both pass
 * test/contract/work-queue.contract.ts.
 */
export interface SendOptions {
  delaySeconds?: number;
  /** string message attributes (trace context travels here) */
  attributes?: Record<string, string>;
  /**
   * The fairness group (the tenant): receivers serve the group with the fewest messages in flight
   * first, so one group's backlog does not delay another's messages (SQS fair queues:
   * MessageGroupId on a standard queue). A message without a group is a group of its own.
   */
  group?: string;
  /**
   * Names what the message stands for (a push trigger: its task). A queue may drop the message
   * while another with the same key is queued and has not been received yet: that one is
   * received later and covers this one. The in-process queue does; SQS has no such window (a
   * FIFO queue's de-duplication also drops messages sent after the first was received).
   */
  coalesceKey?: string;
}

export interface ReceivedMessage {
  messageId: string;
  body: string;
  receiptHandle: string;
  /** 1 on first delivery */
  receiveCount: number;
  attributes: Record<string, string>;
  /** epoch ms of the first send */
  sentAt: number;
}

export interface ReceiveOptions {
  maxMessages: number;
  /** long-poll wait; 0 returns at once */
  waitSeconds: number;
  visibilityTimeoutSeconds?: number | undefined;
}

/** The producer side alone: what the gateway, the router and the push trigger need. */
export interface QueueSender {
  send(body: string, options?: SendOptions): Promise<void>;
}

export interface WorkQueue extends QueueSender {
  receive(options: ReceiveOptions): Promise<ReceivedMessage[]>;
  delete(receiptHandle: string): Promise<void>;
  changeVisibility(receiptHandle: string, seconds: number): Promise<void>;
}
