/**
 * The push dispatcher's SQS handler. A record whose deliveries need a retry is reported as a
 * batch item failure after its visibility is set to an exponential backoff with full jitter, so
 * SQS redelivers it later; after maxReceiveCount it lands in the push DLQ.
 */
import { randomUUID } from 'node:crypto';
import { systemContext } from '../../core/context';
import { InvalidParamsError } from '../../core/errors';
import type { WorkQueue } from '../../core/ports/work-queue';
import { type PushMessage, parsePushMessage } from '../../core/push-message';
import { TRACEPARENT_ATTRIBUTE } from '../../core/work-message';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from '../runtime/sqs-event';
import { deliverTaskPushes, type PushDispatchDeps } from './deliver-pushes';

export interface PushHandlerDeps extends PushDispatchDeps {
  /** the push queue, to set the retry backoff on a failed record */
  queue: Pick<WorkQueue, 'changeVisibility'>;
  backoff: { baseSeconds: number; maxSeconds: number };
  random?: () => number;
}

export function createPushDispatcherHandler(
  deps: PushHandlerDeps,
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    // Triggers carry no data: several for one task in a batch need one dispatch (reading from
    // the earliest hint), whose outcome (ack, or retry later) applies to all of them.
    const byTask = new Map<string, Trigger[]>();
    for (const record of event.Records) {
      const trigger = readTrigger(record);
      const key = trigger.message
        ? `${trigger.message.tenant}\u0000${trigger.message.taskId}`
        : record.messageId;
      byTask.set(key, [...(byTask.get(key) ?? []), trigger]);
    }
    const failed: { itemIdentifier: string }[] = [];
    await Promise.all(
      [...byTask.values()].map(async (triggers) => {
        const outcome = await processRecord(deps, triggers[0] as Trigger, earliestHint(triggers));
        if (outcome === ACKED) return;
        failed.push(...triggers.map((t) => ({ itemIdentifier: t.record.messageId })));
        // Every record of the task comes back together, when the one dispatch asked for: a
        // shorter wait for the others would use up their receives against a busy config.
        const delay = outcome.retryInSeconds;
        if (delay === undefined) return;
        for (const { record } of triggers)
          await deps.queue.changeVisibility(record.receiptHandle, delay).catch(() => undefined);
      }),
    );
    return { batchItemFailures: failed };
  };
}

/** A record with its body read once: the message, or why it is unreadable (it stays alone). */
interface Trigger {
  record: SQSRecord;
  message?: PushMessage;
  unreadable?: InvalidParamsError;
}

function readTrigger(record: SQSRecord): Trigger {
  try {
    return { record, message: parsePushMessage(record.body) };
  } catch (err) {
    if (!(err instanceof InvalidParamsError)) throw err;
    return { record, unreadable: err };
  }
}

/** The smallest fromSeq of a task's triggers; none if one of them has none (it reads from the cursors). */
function earliestHint(triggers: Trigger[]): number | undefined {
  let hint = Number.POSITIVE_INFINITY;
  for (const { message } of triggers) hint = Math.min(hint, message?.fromSeq ?? Number.NaN);
  return Number.isFinite(hint) ? hint : undefined;
}

/** Seconds until the next attempt: full jitter over base * 2^(attempt-1), capped. */
export function backoffSeconds(attempt: number, b: PushHandlerDeps['backoff'], random = Math.random): number {
  const ceiling = Math.min(b.maxSeconds, b.baseSeconds * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(ceiling * random()));
}

const ACKED = 'acked';

/**
 * When a trigger that found a config busy looks again: once the holder's lease could have ended
 * (a live holder delivers what the trigger came for, see DispatchOutcome.busy). A shorter retry
 * would use up the trigger's receives, and send it to the DLQ, while a dead holder's lease lasts.
 */
const busySeconds = (leaseMs: number): number => Math.min(43_200, Math.max(1, Math.ceil(leaseMs / 1000)));

async function processRecord(
  deps: PushHandlerDeps,
  { record, message, unreadable }: Trigger,
  fromSeq: number | undefined,
): Promise<typeof ACKED | { retryInSeconds: number | undefined }> {
  const attempt = Number(record.attributes.ApproximateReceiveCount ?? '1');
  const log = deps.logger.child({ messageId: record.messageId, attempt });
  if (!message) {
    log.error({ reason: unreadable?.message }, 'unreadable push message acknowledged');
    return ACKED;
  }
  const traceparent = record.messageAttributes?.[TRACEPARENT_ATTRIBUTE]?.stringValue;
  const ctx = systemContext(message.tenant, randomUUID(), traceparent);
  try {
    const outcome = await deliverTaskPushes(deps, ctx, message.taskId, fromSeq);
    if (!outcome.retry && !outcome.busy && !outcome.more) return ACKED;
    // A busy config sets the shortest wait, also when another config needs a retry or more: a
    // shorter one would use up the trigger's receives while a dead holder's lease lasts.
    const backoff = outcome.retry ? backoffSeconds(attempt, deps.backoff, deps.random) : 1;
    const delay = outcome.busy ? Math.max(busySeconds(deps.settings.leaseMs), backoff) : backoff;
    log.info({ taskId: message.taskId, retryInSeconds: delay }, 'push deliveries will be retried');
    return { retryInSeconds: delay };
  } catch (err) {
    // Back after the queue's visibility timeout.
    log.error({ err, taskId: message.taskId }, 'push dispatch failed; message returns to the queue');
    return { retryInSeconds: undefined };
  }
}
