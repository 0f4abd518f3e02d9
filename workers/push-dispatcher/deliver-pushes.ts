/**
 * Delivers a task's push notifications from its event log. Each config has a cursor (the last
 * seq it received); a run reads the task, its configs and the new events once (one Query in
 * DynamoDB, from the trigger's hint: the first seq of the commit that fired it), sends, in seq
 * order, every event after the cursor up to that task's last event (a config whose cursor is
 * behind the hint reads its own events), then moves the cursor once, in the write that releases
 * the config's lease, with a condition on its old value and on the lease owner. Two dispatchers
 * never skip an event: at most they repeat some (receivers de-duplicate on taskId + seq), e.g.
 * after a dispatcher died between its deliveries and that write. A retryable failure stops that
 * config and asks for a retry with backoff; a permanent one (other 4xx, refused URL) skips the
 * event, and after `suspendAfter` consecutive permanent failures the config is suspended.
 * Configs are isolated: a sender that throws counts as a retryable failure of that config, and
 * anything else that throws while one config is dispatched is logged and retried later, after
 * the other configs had their turn.
 */

import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../core/context';
import type { PushRelease, StoredPushConfig } from '../../core/ports/push-config-store';
import type { TaskRecord } from '../../core/task-record';
import type { DispatchOutcome, PushDispatchDeps } from './dispatch-types';
import { cursorOf, drainConfig, type Progress, pageSizeOf, type TaskRead } from './drain-config';
import { logWindow } from './log-window';

export type { DispatchOutcome, PushDispatchDeps, PushDispatchStore } from './dispatch-types';
export { SENDER_ERROR } from './push-batches';

/**
 * `fromSeq`: the trigger's hint, the first seq its commit appended (the earliest, when a queue
 * folded several triggers into one); without it the read brings no events.
 */
export async function deliverTaskPushes(
  deps: PushDispatchDeps,
  ctx: RequestContext,
  taskId: string,
  fromSeq?: number,
): Promise<DispatchOutcome> {
  const outcome: DispatchOutcome = { delivered: 0, failed: 0, retry: false, busy: false, more: false };
  // One read of the task serves every config: the run delivers the log up to the task it read.
  const first = await readTask(deps, ctx, taskId, fromSeq === undefined ? undefined : fromSeq - 1);
  if (!first) return outcome;
  for (const listed of first.configs) {
    const configId = listed.config.id ?? '';
    try {
      if (listed.delivery?.suspended) await expireSuspended(deps, ctx, first.task, configId);
      else if (!upToDate(listed, first.task)) await dispatchConfig(deps, ctx, first, configId, outcome);
    } catch (err) {
      // A store failure outside the deliveries (taking the lease, the look after it) is this
      // config's alone too: the others still have their turn, and this one is retried.
      configFailed(deps, outcome, err, taskId, configId);
    }
  }
  return outcome;
}

/**
 * A config expires with its ended task once a dispatcher stamps it: the release of each round
 * does (a cursor at the task's end was moved by such a release), and a suspended config, which
 * is never taken, gets its stamp here (decision 76).
 */
async function expireSuspended(
  deps: PushDispatchDeps,
  ctx: RequestContext,
  task: TaskRecord,
  configId: string,
): Promise<void> {
  if (task.expiresAt !== undefined) await deps.store.expirePushConfig(ctx, task.id, configId, task.expiresAt);
}

/** One config's unexpected failure: counted, logged, and the trigger retried later. */
function configFailed(
  deps: PushDispatchDeps,
  outcome: DispatchOutcome,
  err: unknown,
  taskId: string,
  configId: string,
): void {
  outcome.failed++;
  outcome.retry = true;
  deps.logger.error({ err, taskId, configId }, 'push dispatch of one config failed; will retry');
}

/**
 * A config whose cursor (read strongly consistent, after the task) already stands at the task's
 * last event has nothing this run must send: later events have triggers of their own.
 */
function upToDate(stored: StoredPushConfig, task: TaskRecord): boolean {
  return !stored.delivery?.snapshotPending && cursorOf(stored) >= task.version;
}

async function readTask(
  deps: PushDispatchDeps,
  ctx: RequestContext,
  taskId: string,
  afterSeq: number | undefined,
): Promise<(TaskRead & { configs: StoredPushConfig[] }) | undefined> {
  const pageSize = pageSizeOf(deps);
  const read = await deps.store.readForDispatch(ctx, taskId, afterSeq, pageSize);
  if (!read) return undefined;
  return { task: read.task, configs: read.configs, window: logWindow(afterSeq, read.events, pageSize) };
}

/** Rounds of lease, drain, release, look again for one config in one dispatch (see below). */
const MAX_ROUNDS = 4;

/**
 * Holds the config's lease while draining it. If another dispatcher was turned away meanwhile
 * (the release reports its knock), it may have come for an event committed after this round's
 * read: the holder reads the task once more and, if there is more, takes another round, so the
 * event goes out now instead of at that trigger's retry (which then finds nothing to do). An
 * unknocked release ends the run without another read. The busy trigger still retries once the
 * lease could have ended, so a holder that dies mid-drain delays, never loses (and the retries of
 * a config busy for a whole lease do not use up the trigger's receives before the lease ends).
 * The cursor moves once per round, in the write that releases the lease, after the deliveries:
 * a dispatcher that dies before that write leaves the old cursor, so the next holder (once the
 * lease expired) sends those events again; receivers de-duplicate on taskId + seq.
 */
async function dispatchConfig(
  deps: PushDispatchDeps,
  ctx: RequestContext,
  firstRead: TaskRead,
  configId: string,
  outcome: DispatchOutcome,
): Promise<void> {
  const taskId = firstRead.task.id;
  let read: TaskRead | undefined = firstRead;
  let cursor = 0;
  for (let round = 0; round < MAX_ROUNDS && read; round++) {
    const owner = `${deps.dispatcherId}/${randomUUID()}`;
    const now = deps.clock.now();
    const held = await deps.store.acquirePushLease(
      ctx,
      taskId,
      configId,
      { owner, until: now + deps.settings.leaseMs },
      now,
    );
    if (!held) {
      // Only the first round can meet another holder that way; later, it took over from us.
      if (round === 0) outcome.busy = true;
      return;
    }
    const progress: Progress = { stored: held, current: held };
    let drained = false;
    try {
      drained = await drainConfig(deps, ctx, read, progress, outcome);
    } catch (err) {
      // One config's failure is that config's alone: the others of the task still get every event.
      configFailed(deps, outcome, err, taskId, configId);
    }
    const released = await release(deps, ctx, read.task, configId, owner, progress, outcome);
    if (released !== 'knocked' || !drained) return;
    if (round === MAX_ROUNDS - 1) {
      // The knocker's trigger comes back only when this lease could have ended: this run's own
      // trigger looks again soon instead.
      outcome.more = true;
      return;
    }
    cursor = cursorOf(progress.current);
    read = await readTask(deps, ctx, taskId, cursor);
    if (!read || read.task.version <= cursor) return;
  }
}

/**
 * Releases the lease, storing in the same write what the round delivered (also when it stopped on
 * a failure: what was sent is not sent again) and, once the task the round read has ended, its
 * expiry. False if that write failed: the lease was lost (it expired and another dispatcher took
 * the config, or the config was replaced) or the store failed; the cursor stays where it was,
 * and a retry sends those events again.
 */
async function release(
  deps: PushDispatchDeps,
  ctx: RequestContext,
  task: TaskRecord,
  configId: string,
  owner: string,
  progress: Progress,
  outcome: DispatchOutcome,
): Promise<PushRelease> {
  const taskId = task.id;
  const moved = progress.current !== progress.stored;
  const delivery = moved ? { config: progress.current, expectedSeq: cursorOf(progress.stored) } : undefined;
  try {
    const released = await deps.store.releasePushLease(
      ctx,
      taskId,
      configId,
      owner,
      delivery,
      task.expiresAt,
    );
    if (released) return released;
  } catch (err) {
    deps.logger.error({ err, taskId, configId }, 'push lease release failed; will retry');
  }
  if (!moved) return false;
  outcome.retry = true;
  deps.logger.warn({ taskId, configId }, 'push cursor not moved; those deliveries will be repeated');
  await deps.store
    .releasePushLease(ctx, taskId, configId, owner, undefined, task.expiresAt)
    .catch(() => false);
  return false;
}
