/**
 * One round of a config's deliveries under its dispatch lease (deliver-pushes.ts): everything
 * after the config's cursor up to the task's last event, in pages, in seq order.
 */
import type { RequestContext } from '../../core/context';
import type { PushDeliveryState, StoredPushConfig } from '../../core/ports/push-config-store';
import type { TaskRecord } from '../../core/task-record';
import type { DispatchOutcome, PushDispatchDeps } from './dispatch-types';
import { contiguous, fromWindow, type LogWindow } from './log-window';
import { type Batch, eventBodies, sendBatch, snapshotBody } from './push-batches';

/** The task as a round read it, with the events that read brought along. */
export interface TaskRead {
  task: TaskRecord;
  window: LogWindow;
}

/** A config's delivery state as the run found it under the lease, and as the run left it. */
export interface Progress {
  stored: StoredPushConfig;
  current: StoredPushConfig;
}

export const pageSizeOf = (deps: PushDispatchDeps): number => deps.settings.pageSize ?? 500;

export const cursorOf = (config: StoredPushConfig): number => config.delivery?.lastDeliveredSeq ?? 0;

/**
 * Delivers everything after the config's cursor up to the task's last event, in pages. A full
 * page with more to come stores the cursor before the next one (a long backlog does not wait for
 * the release to keep what it sent). True when it got to the task's last event; false when it
 * stopped short (a retry, a suspension, or the cursor moved by someone else).
 */
export async function drainConfig(
  deps: PushDispatchDeps,
  ctx: RequestContext,
  { task, window }: TaskRead,
  progress: Progress,
  outcome: DispatchOutcome,
): Promise<boolean> {
  const log = deps.logger.child({ taskId: task.id, configId: progress.current.config.id });
  const pageSize = pageSizeOf(deps);
  let prefetched: LogWindow | undefined = window;
  for (;;) {
    let state: PushDeliveryState = progress.current.delivery ?? {
      lastDeliveredSeq: 0,
      consecutiveFailures: 0,
    };
    const pending: Batch[] = [];
    if (state.snapshotPending)
      pending.push({ seq: state.lastDeliveredSeq, bodies: [snapshotBody(progress.current, task)] });
    const wanted = Math.min(pageSize, task.version - state.lastDeliveredSeq);
    const cursor = state.lastDeliveredSeq;
    const read =
      wanted > 0
        ? (fromWindow(prefetched, cursor, wanted) ??
          (await deps.store.readEvents(ctx, task.id, cursor, wanted)))
        : [];
    prefetched = undefined;
    const events = contiguous(cursor, read);
    for (const event of events)
      pending.push({ seq: event.seq, bodies: eventBodies(progress.current, task, event) });

    for (const batch of pending) {
      const next = await sendBatch(deps, ctx, task, progress.current, state, batch);
      progress.current = { ...progress.current, delivery: next.state };
      if (next.kind === 'retry') {
        outcome.failed++;
        outcome.retry = true;
        log.warn(
          { seq: batch.seq, attempt: next.state.consecutiveFailures, reason: next.state.lastError },
          'push delivery failed; will retry',
        );
        return false;
      }
      if (next.kind === 'permanent') outcome.failed++;
      else outcome.delivered += batch.bodies.length;
      if (next.state.suspended) {
        log.warn(
          { failures: next.state.consecutiveFailures, reason: next.state.lastError },
          'push config suspended after repeated permanent failures',
        );
        return false;
      }
      state = next.state;
    }
    if (state.lastDeliveredSeq >= task.version || events.length < wanted) return true;
    const expectedSeq = cursorOf(progress.stored);
    if (!(await deps.store.updatePushDelivery(ctx, task.id, progress.current, expectedSeq))) return false;
    progress.stored = progress.current;
  }
}
