/**
 * The agent worker's SQS handler: one work message per record, partial batch failures reported.
 * Bad bodies and unknown tasks are acknowledged (logged, never retried forever); permanent
 * failures end the task FAILED inside runTask and are acknowledged too; retryable failures go
 * back to the queue and reach the DLQ after maxReceiveCount (workers/dlq-consumer fails the task).
 * With a queue, a long run keeps extending its message's visibility, and a run that must end before
 * the invocation does (Lambda's remaining time) continues in a fresh message (RunContinuesLaterError).
 */
import { traceIdOf } from '../../core/context';
import { InvalidParamsError, RetryableError } from '../../core/errors';
import { Metric, type Metrics } from '../../core/ports/metrics';
import type { WorkQueue } from '../../core/ports/work-queue';
import { sendWorkMessage } from '../../core/use-cases/enqueue-work';
import { parseWorkMessage, TRACEPARENT_ATTRIBUTE, type WorkMessage } from '../../core/work-message';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from '../runtime/sqs-event';
import type { RunOptions } from './run-task';
import { runTask } from './run-task';
import type { WorkerDeps } from './worker-deps';

export interface AgentWorkerHandlerOptions {
  /** the queue the records come from, for ChangeMessageVisibility */
  queue?: WorkQueue;
  /** queue wait (enqueue -> claim) and run duration */
  metrics?: Metrics;
}

/** What the handler reads of the Lambda context (absent in local mode). */
export interface WorkerInvocation {
  awsRequestId?: string;
  getRemainingTimeInMillis?: () => number;
}

export function createAgentWorkerHandler(
  deps: WorkerDeps,
  opts: AgentWorkerHandlerOptions = {},
): (event: SQSEvent, context?: WorkerInvocation) => Promise<SQSBatchResponse> {
  return async (event, context) => {
    const timeLeftMs = context?.getRemainingTimeInMillis?.bind(context);
    const results = await Promise.all(
      event.Records.map((record) => processRecord(deps, opts, record, timeLeftMs)),
    );
    return {
      batchItemFailures: event.Records.filter((_, i) => !results[i]).map((r) => ({
        itemIdentifier: r.messageId,
      })),
    };
  };
}

/** true = acknowledge, false = leave on the queue for a retry */
async function processRecord(
  deps: WorkerDeps,
  opts: AgentWorkerHandlerOptions,
  record: SQSRecord,
  timeLeftMs: (() => number) | undefined,
): Promise<boolean> {
  const log = deps.logger.child({
    messageId: record.messageId,
    attempt: Number(record.attributes?.ApproximateReceiveCount ?? 1),
  });
  let work: WorkMessage;
  try {
    work = parseWorkMessage(record.body);
  } catch (err) {
    if (err instanceof InvalidParamsError) {
      log.error({ reason: err.message }, 'unreadable work message acknowledged');
      return true;
    }
    throw err;
  }
  const run: RunOptions = {};
  const traceparent = record.messageAttributes?.[TRACEPARENT_ATTRIBUTE]?.stringValue;
  if (traceparent) run.traceparent = traceparent;
  const { queue } = opts;
  if (queue && record.receiptHandle) {
    run.visibility = { extend: (seconds) => queue.changeVisibility(record.receiptHandle, seconds) };
  }
  if (queue) {
    run.requeue = (next, delaySeconds) => sendWorkMessage(queue, next, { traceparent, delaySeconds });
  }
  if (timeLeftMs) run.timeLeftMs = timeLeftMs;
  const started = Date.now();
  const sentAt = Number(record.attributes?.SentTimestamp);
  if (Number.isFinite(sentAt) && sentAt > 0)
    opts.metrics?.duration(Metric.QueueWait, Math.max(0, started - sentAt));
  try {
    const outcome = await runTask(deps, work, run);
    const ms = Date.now() - started;
    opts.metrics?.duration(Metric.RunDuration, ms, { outcome });
    log.info(
      {
        tenant: work.tenant,
        taskId: work.taskId,
        seq: work.seq,
        traceId: traceIdOf(traceparent),
        outcome,
        ms,
      },
      'work message handled',
    );
    return true;
  } catch (err) {
    if (err instanceof RetryableError)
      log.warn({ err, taskId: work.taskId }, 'retryable failure; message returns to the queue');
    else log.error({ err, taskId: work.taskId }, 'unexpected failure; message returns to the queue');
    return false;
  }
}
