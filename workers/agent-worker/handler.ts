/**
 * The agent worker's SQS handler: one work message per record, partial batch failures reported.
 * Bad bodies and unknown tasks are acknowledged (logged, never retried forever); retryable
 * failures go back to the queue and reach the DLQ after maxReceiveCount.
 */
import { InvalidParamsError, RetryableError } from '../../core/errors';
import { parseWorkMessage, TRACEPARENT_ATTRIBUTE } from '../../core/work-message';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from '../runtime/sqs-event';
import { runTask, TaskEndedElsewhere, type WorkerDeps } from './run-task';

export function createAgentWorkerHandler(deps: WorkerDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const results = await Promise.all(event.Records.map((record) => processRecord(deps, record)));
    return {
      batchItemFailures: event.Records.filter((_, i) => !results[i]).map((r) => ({
        itemIdentifier: r.messageId,
      })),
    };
  };
}

/** true = acknowledge, false = leave on the queue for a retry */
async function processRecord(deps: WorkerDeps, record: SQSRecord): Promise<boolean> {
  const log = deps.logger.child({
    messageId: record.messageId,
    attempt: Number(record.attributes.ApproximateReceiveCount ?? 1),
  });
  let work: ReturnType<typeof parseWorkMessage>;
  try {
    work = parseWorkMessage(record.body);
  } catch (err) {
    if (err instanceof InvalidParamsError) {
      log.error({ reason: err.message }, 'unreadable work message acknowledged');
      return true;
    }
    throw err;
  }
  try {
    await runTask(deps, work, record.messageAttributes?.[TRACEPARENT_ATTRIBUTE]?.stringValue);
    return true;
  } catch (err) {
    if (err instanceof TaskEndedElsewhere) return true;
    if (err instanceof RetryableError)
      log.warn({ err, taskId: work.taskId }, 'retryable failure; message returns to the queue');
    else log.error({ err, taskId: work.taskId }, 'unexpected failure; message returns to the queue');
    return false;
  }
}
