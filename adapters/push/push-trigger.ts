/**
 * The push trigger over a queue, and the store decorator that fires it: after every commit of a
 * task that has push configs, the push queue gets "this task moved". Wrapping the store means
 * every writer (gateway cancel, agent worker, DLQ consumer) triggers deliveries without knowing
 * about push.
 *
 * A create fires nothing: its one event (SUBMITTED, the task the client holds in the answer)
 * goes out with the first commit's deliveries, whose hint then starts at seq 1, so one
 * dispatch, one lease and one read serve both (2 WRU, 3 SQS requests and an invocation less per
 * task; README decision 72).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isTerminal } from '../../core/a2a/task-state';
import type { RequestContext } from '../../core/context';
import { tenantOf } from '../../core/context';
import { RetryableError } from '../../core/errors';
import type { Logger } from '../../core/ports/logger';
import type { PushTrigger } from '../../core/ports/push-trigger';
import type { TaskStore } from '../../core/ports/task-store';
import type { QueueSender } from '../../core/ports/work-queue';
import type { PushMessage } from '../../core/push-message';
import type { TaskRecord } from '../../core/task-record';
import { TRACEPARENT_ATTRIBUTE } from '../../core/work-message';
import { overriding } from '../shared/overriding';

/**
 * A trigger names the task (coalesceKey): a queue that can (the in-process one) drops it while
 * another trigger of the task is queued and not yet received, which reads the log later and
 * so covers this change too (its hint is the earlier one). SQS sends every trigger.
 */
export function queuePushTrigger(queue: QueueSender): PushTrigger {
  return {
    async taskChanged(ctx, taskId, fromSeq) {
      const tenant = tenantOf(ctx);
      const body: PushMessage = { v: 1, kind: 'push', tenant, taskId, ...(fromSeq ? { fromSeq } : {}) };
      await queue.send(JSON.stringify(body), {
        coalesceKey: `${tenant}\u0000${taskId}`,
        ...(ctx.traceparent ? { attributes: { [TRACEPARENT_ATTRIBUTE]: ctx.traceparent } } : {}),
      });
    },
  };
}

/** A task's version after its create (SUBMITTED, use-cases/send-message.ts). */
const CREATED_VERSION = 1;

/** Waits before the 2nd and 3rd attempt of an ended task's trigger. */
export const ENDED_TRIGGER_RETRY_DELAYS_MS: readonly number[] = [50, 250];

/**
 * A failed trigger does not fail the write that caused it: the events are durable, and the
 * next trigger (or the reconciler) delivers them. An ended task has no next trigger, so a
 * trigger that failed for a passing reason (RetryableError: throttling, a timeout, a 5xx, the
 * network, once the SDK's own retries are spent) is tried twice more
 * (ENDED_TRIGGER_RETRY_DELAYS_MS); a refusal that would only repeat (access denied, no such
 * queue) is not. If all fail, its push configs are stamped here with the
 * expiry the dispatch would have given them (decision 76), one UpdateItem each, so they do not
 * outlive the task, and the loss is logged as an error.
 */
export function withPushTrigger(
  store: TaskStore,
  trigger: PushTrigger,
  logger: Logger,
  retryDelaysMs: readonly number[] = ENDED_TRIGGER_RETRY_DELAYS_MS,
): TaskStore {
  const fire = async (ctx: RequestContext, task: TaskRecord, fromSeq: number) => {
    if (!task.hasPush) return;
    const ended = isTerminal(task.status.state);
    const delays = ended ? retryDelaysMs : [];
    for (let attempt = 0; ; attempt++) {
      try {
        return await trigger.taskChanged(ctx, task.id, fromSeq);
      } catch (err) {
        const delay = err instanceof RetryableError ? delays[attempt] : undefined;
        if (delay !== undefined) {
          await sleep(delay);
          continue;
        }
        const log = { err, taskId: task.id, attempts: attempt + 1 };
        if (!ended) return logger.warn(log, 'push trigger failed; delivery waits for the next one');
        logger.error(log, 'push trigger of an ended task failed; its last events may never be delivered');
        if (task.expiresAt !== undefined) await expireConfigs(ctx, task.id, task.expiresAt);
        return;
      }
    }
  };
  const expireConfigs = async (ctx: RequestContext, taskId: string, expiresAt: number) => {
    try {
      for (const c of await store.listPushConfigs(ctx, taskId))
        await store.expirePushConfig(ctx, taskId, c.config.id ?? '', expiresAt);
    } catch (err) {
      logger.error({ err, taskId }, 'push configs of an ended task not stamped: they outlive it');
    }
  };
  return overriding(store, {
    async commit(...args: Parameters<TaskStore['commit']>) {
      const next = await store.commit(...args);
      const base = args[1].expectedVersion;
      await fire(args[0], next, base <= CREATED_VERSION ? 1 : base + 1);
      return next;
    },
  });
}
