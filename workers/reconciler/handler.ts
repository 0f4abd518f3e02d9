/**
 * The reconciler (scheduled in AWS, a timer in local mode): re-enqueues tasks nothing will run.
 * - SUBMITTED past a grace period without a lease: the gateway's store write happened but its SQS
 *   send did not (a crash between the two);
 * - WORKING (or claimed) with an expired lease: its worker died and its message is gone.
 * It reads the store's reconciler index (GSI3, never a Scan), at most `maxItems` per run, re-reads
 * each task before acting, and pushes the task's due time out by `backoffMs` after enqueueing, so
 * the next run does not enqueue it again while the message is on its way. A claim does not move
 * the due time (one index write less per task): a due task still under a live lease is deferred to
 * the lease's end instead. Idempotent: workers ignore a duplicate message.
 */
import { randomUUID } from 'node:crypto';
import { TaskState } from '../../core/a2a/task-state';
import { systemContext } from '../../core/context';
import type { Clock } from '../../core/ports/clock';
import type { Logger } from '../../core/ports/logger';
import type { ReconcileIndex } from '../../core/ports/run-control';
import type { TaskReader } from '../../core/ports/task-records';
import type { QueueSender } from '../../core/ports/work-queue';
import { enqueueWork } from '../../core/use-cases/enqueue-work';

export interface ReconcilerDeps {
  store: Pick<TaskReader, 'get'> & ReconcileIndex;
  queue: QueueSender;
  clock: Clock;
  logger: Logger;
  settings: { maxItems: number; backoffMs: number };
}

export interface ReconcileReport {
  examined: number;
  requeued: number;
}

export function createReconcilerHandler(deps: ReconcilerDeps): () => Promise<ReconcileReport> {
  return async () => {
    const now = deps.clock.now();
    const due = await deps.store.findStranded({ dueBefore: now, limit: deps.settings.maxItems });
    let requeued = 0;
    for (const ref of due) {
      const ctx = systemContext(ref.tenant, randomUUID());
      const task = await deps.store.get(ctx, ref.taskId);
      if (!task) continue;
      const state = task.status.state;
      if (state !== TaskState.Submitted && state !== TaskState.Working) continue;
      if (task.lease && task.lease.until > now) {
        // claims do not move the due time (reconcile-due.ts): look again when the lease ends
        await deps.store.deferReconcile(ctx, task.id, task.lease.until);
        continue;
      }
      await enqueueWork(deps.queue, ctx, task);
      await deps.store.deferReconcile(ctx, task.id, now + deps.settings.backoffMs);
      requeued += 1;
      deps.logger.warn({ tenant: ref.tenant, taskId: task.id, state }, 'stranded task re-enqueued');
    }
    const report = { examined: due.length, requeued };
    if (due.length > 0) deps.logger.info(report, 'reconciler run');
    return report;
  };
}
