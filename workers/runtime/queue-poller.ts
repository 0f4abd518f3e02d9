/**
 * The local stand-in for Lambda's SQS event source mapping (with ReportBatchItemFailures):
 * long-polls a WorkQueue, hands each batch to the handler as an SQSEvent, deletes the records
 * that succeeded and leaves the failed ones to come back after their visibility timeout. A
 * handler that throws, or names a record that is not in the batch, fails the whole batch.
 */
import { createHash } from 'node:crypto';
import type { ReceivedMessage, WorkQueue } from '../../core/ports/work-queue';
import type { SQSBatchHandler, SQSBatchResponse, SQSEvent, SQSRecord } from './sqs-event';

/** pino's Logger fits. */
export interface QueuePollerLogger {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface QueuePollerOptions {
  queue: WorkQueue;
  handler: SQSBatchHandler;
  /** messages per event, 1–10 */
  batchSize: number;
  /** long-poll wait per receive, 0–20 s */
  waitSeconds: number;
  /** overrides the queue's visibility timeout for the messages this poller receives */
  visibilityTimeoutSeconds?: number;
  logger?: QueuePollerLogger;
  /** shown in each record; defaults to a local placeholder ARN */
  eventSourceARN?: string;
  awsRegion?: string;
  /** pause after a failed receive, default 1000 ms */
  retryDelayMs?: number;
}

export interface QueuePoller {
  /** Stops polling and resolves once the batch in progress, if any, is handled and acknowledged. */
  stop(): Promise<void>;
}

const STOPPED = Symbol('stopped');
const LOCAL_SENDER_ID = 'AIDALOCALQUEUEPOLLER';
const silentLogger: QueuePollerLogger = { warn: () => undefined, error: () => undefined };

export function startQueuePoller(options: QueuePollerOptions): QueuePoller {
  const { queue, handler, batchSize, waitSeconds, visibilityTimeoutSeconds } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) {
    throw new RangeError(`batchSize must be an integer from 1 to 10, not ${batchSize}`);
  }
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > 20) {
    throw new RangeError(`waitSeconds must be an integer from 0 to 20, not ${waitSeconds}`);
  }
  const logger = options.logger ?? silentLogger;
  const source = {
    eventSourceARN: options.eventSourceARN ?? 'arn:aws:sqs:us-east-1:000000000000:local-work-queue',
    awsRegion: options.awsRegion ?? 'us-east-1',
  };
  // Stop wakes whatever the loop waits on. Not a Promise.race with one never-settling "stopped"
  // promise: every race would leave a reaction on it, one per receive, for the poller's lifetime.
  let stopped = false;
  const onStop = new Set<() => void>();
  const requestStop = (): void => {
    stopped = true;
    for (const wake of onStop) wake();
    onStop.clear();
  };
  /** `p`'s outcome, or STOPPED as soon as stop is requested (whichever comes first). */
  const orStop = <T>(p: Promise<T>): Promise<T | typeof STOPPED> =>
    new Promise((resolve, reject) => {
      if (stopped) return resolve(STOPPED);
      const wake = () => resolve(STOPPED);
      onStop.add(wake);
      p.then(resolve, reject).finally(() => onStop.delete(wake));
    });

  const pause = (ms: number): Promise<unknown> => {
    let timer: NodeJS.Timeout | undefined;
    const elapsed = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    return orStop(elapsed).finally(() => clearTimeout(timer));
  };

  const handleBatch = async (messages: ReceivedMessage[]): Promise<void> => {
    const event = toEvent(messages, source);
    const messageIds = messages.map((m) => m.messageId);
    let failed: Set<string>;
    try {
      failed = failedMessageIds(await handler(event), messageIds);
    } catch (err) {
      logger.error({ err, messageIds }, 'handler failed; the whole batch returns to the queue');
      return;
    }
    if (failed.size > 0) {
      logger.warn({ messageIds: [...failed] }, 'batch item failures return to the queue');
    }
    await Promise.all(
      messages
        .filter((m) => !failed.has(m.messageId))
        .map((m) =>
          queue.delete(m.receiptHandle).catch((err: unknown) => {
            logger.error(
              { err, messageId: m.messageId },
              'delete failed; the message will be delivered again',
            );
          }),
        ),
    );
  };

  const run = async (): Promise<void> => {
    for (;;) {
      const receiving = queue.receive({ maxMessages: batchSize, waitSeconds, visibilityTimeoutSeconds });
      let outcome: ReceivedMessage[] | typeof STOPPED;
      try {
        outcome = await orStop(receiving);
      } catch (err) {
        logger.error({ err }, 'receive failed; retrying');
        if ((await pause(options.retryDelayMs ?? 1000)) === STOPPED) return;
        continue;
      }
      if (outcome === STOPPED) {
        releaseLateMessages(queue, receiving, logger);
        return;
      }
      if (outcome.length > 0) await handleBatch(outcome);
    }
  };

  const running = run();
  return {
    stop: async () => {
      requestStop();
      await running;
    },
  };
}

/** A long poll still open at stop() may yet return messages: make them visible again at once. */
function releaseLateMessages(
  queue: WorkQueue,
  receiving: Promise<ReceivedMessage[]>,
  logger: QueuePollerLogger,
): void {
  receiving
    .then((messages) => Promise.all(messages.map((m) => queue.changeVisibility(m.receiptHandle, 0))))
    .catch((err: unknown) => logger.warn({ err }, 'could not release messages received after stop'));
}

/**
 * Lambda's rules: no response or an empty list is a complete success; an item identifier that
 * is empty or not in the batch makes the whole batch a failure.
 */
function failedMessageIds(response: SQSBatchResponse | undefined, messageIds: string[]): Set<string> {
  const failures = response?.batchItemFailures ?? [];
  const inBatch = new Set(messageIds);
  if (failures.some((failure) => !inBatch.has(failure?.itemIdentifier))) return inBatch;
  return new Set(failures.map((failure) => failure.itemIdentifier));
}

function toEvent(
  messages: ReceivedMessage[],
  source: { eventSourceARN: string; awsRegion: string },
): SQSEvent {
  const receivedAt = String(Date.now());
  return { Records: messages.map((message) => toRecord(message, receivedAt, source)) };
}

function toRecord(
  message: ReceivedMessage,
  receivedAt: string,
  source: { eventSourceARN: string; awsRegion: string },
): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: LOCAL_SENDER_ID,
      // the port does not report the first receive; this batch's receive time stands in for it
      ApproximateFirstReceiveTimestamp: receivedAt,
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.attributes).map(([name, value]) => [
        name,
        { stringValue: value, stringListValues: [], binaryListValues: [], dataType: 'String' },
      ]),
    ),
    md5OfBody: createHash('md5').update(message.body, 'utf8').digest('hex'),
    eventSource: 'aws:sqs',
    ...source,
  };
}
