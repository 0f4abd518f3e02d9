import type { RequestContext } from '../context';
import type { QueueSender } from '../ports/work-queue';
import type { TaskRecord } from '../task-record';
import { TRACEPARENT_ATTRIBUTE, type WorkMessage } from '../work-message';

/** Puts a task's work on the queue. Workers are idempotent, so a duplicate is harmless. */
export async function enqueueWork(queue: QueueSender, ctx: RequestContext, task: TaskRecord): Promise<void> {
  const body: WorkMessage = { v: 1, tenant: task.tenant, taskId: task.id, seq: task.version };
  await sendWorkMessage(queue, body, { traceparent: ctx.traceparent ?? task.traceparent });
}

/**
 * Sends one work message, with its trace context as a message attribute, optionally delayed. The
 * tenant is the message's fairness group: one tenant's backlog does not hold back another's work.
 */
export async function sendWorkMessage(
  queue: QueueSender,
  body: WorkMessage,
  o: { traceparent?: string | undefined; delaySeconds?: number } = {},
): Promise<void> {
  await queue.send(JSON.stringify(body), {
    group: body.tenant,
    ...(o.traceparent ? { attributes: { [TRACEPARENT_ATTRIBUTE]: o.traceparent } } : {}),
    ...(o.delaySeconds === undefined ? {} : { delaySeconds: o.delaySeconds }),
  });
}
