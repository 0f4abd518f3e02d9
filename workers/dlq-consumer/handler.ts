/**
 * The work DLQ's consumer: a work message lands here after maxReceiveCount failed deliveries
 * (retryable failures that never cleared, crashes, timeouts). Its task is ended FAILED with a safe
 * status message, so no task stays SUBMITTED or WORKING forever. It claims the task's lease first:
 * a task a live worker still holds is left for later (the record is retried); a task that moved
 * on (settled, ended, or a newer turn started after the message) is left alone.
 */
import { randomUUID } from 'node:crypto';
import { TaskState } from '../../core/a2a/task-state';
import { type RequestContext, systemContext } from '../../core/context';
import { InvalidParamsError } from '../../core/errors';
import type { Clock } from '../../core/ports/clock';
import type { Logger } from '../../core/ports/logger';
import { Metric, type Metrics } from '../../core/ports/metrics';
import type { RunLeases } from '../../core/ports/run-control';
import type { TaskReader, TaskWriter } from '../../core/ports/task-records';
import { parseWorkMessage, TRACEPARENT_ATTRIBUTE, type WorkMessage } from '../../core/work-message';
import { TaskEndedElsewhereError } from '../agent-worker/run-errors';
import { TaskLog } from '../agent-worker/task-log';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from '../runtime/sqs-event';

export interface DlqConsumerDeps {
  store: TaskReader & Pick<TaskWriter, 'commit'> & Pick<RunLeases, 'acquireLease' | 'releaseLease'>;
  clock: Clock;
  logger: Logger;
  settings: { leaseMs: number; retentionSeconds: number };
  /** counts DLQ arrivals */
  metrics?: Metrics;
}

export type DeadLetterOutcome = 'failed' | 'nothing-to-do' | 'busy';

export const ABANDONED_MESSAGE =
  'The task could not be processed: its work failed repeatedly and was set aside';

export function createDlqConsumerHandler(
  deps: DlqConsumerDeps,
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const acked = await Promise.all(event.Records.map((r) => processRecord(deps, r)));
    return {
      batchItemFailures: event.Records.filter((_, i) => !acked[i]).map((r) => ({
        itemIdentifier: r.messageId,
      })),
    };
  };
}

async function processRecord(deps: DlqConsumerDeps, record: SQSRecord): Promise<boolean> {
  deps.metrics?.count(Metric.DlqArrivals);
  const log = deps.logger.child({ messageId: record.messageId });
  let work: WorkMessage;
  try {
    work = parseWorkMessage(record.body);
  } catch (err) {
    if (!(err instanceof InvalidParamsError)) throw err;
    log.error({ reason: err.message }, 'unreadable dead letter acknowledged');
    return true;
  }
  const ctx = systemContext(
    work.tenant,
    randomUUID(),
    record.messageAttributes?.[TRACEPARENT_ATTRIBUTE]?.stringValue,
  );
  try {
    const outcome = await failAbandonedTask(deps, ctx, work);
    log.warn({ tenant: work.tenant, taskId: work.taskId, outcome }, 'dead letter handled');
    return outcome !== 'busy';
  } catch (err) {
    log.error({ err, tenant: work.tenant, taskId: work.taskId }, 'dead letter not handled; retried later');
    return false;
  }
}

export async function failAbandonedTask(
  deps: DlqConsumerDeps,
  ctx: RequestContext,
  work: WorkMessage,
): Promise<DeadLetterOutcome> {
  const task = await deps.store.get(ctx, work.taskId);
  if (!task || (task.status.state !== TaskState.Submitted && task.status.state !== TaskState.Working)) {
    return 'nothing-to-do';
  }
  if (await newerTurnStarted(deps.store, ctx, work)) return 'nothing-to-do';
  const owner = `dlq-consumer/${randomUUID()}`;
  const now = deps.clock.now();
  const claimed = await deps.store.acquireLease(ctx, {
    taskId: task.id,
    lease: { owner, until: now + deps.settings.leaseMs },
    now,
  });
  if (!claimed) return 'busy';
  try {
    const log = new TaskLog(deps, ctx, claimed, '');
    await log.append([log.status(TaskState.Failed, ABANDONED_MESSAGE)]);
    return 'failed';
  } catch (err) {
    if (err instanceof TaskEndedElsewhereError) return 'nothing-to-do';
    throw err;
  } finally {
    await deps.store.releaseLease(ctx, task.id, owner).catch(() => undefined);
  }
}

/** A follow-up message (SUBMITTED after work.seq) started a turn this dead letter is not about. */
async function newerTurnStarted(store: TaskReader, ctx: RequestContext, work: WorkMessage): Promise<boolean> {
  let after = work.seq;
  for (;;) {
    const events = await store.readEvents(ctx, work.taskId, after, 200);
    if (events.some((e) => e.event.kind === 'status' && e.event.status.state === TaskState.Submitted))
      return true;
    const last = events[events.length - 1];
    if (!last || events.length < 200) return false;
    after = last.seq;
  }
}
