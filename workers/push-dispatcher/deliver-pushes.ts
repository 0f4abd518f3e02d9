/**
 * Delivers a task's push notifications from its event log. Each config has a cursor (the last
 * seq it received); a run sends, in seq order, every event after it, and moves the cursor with a
 * condition on its old value, so two dispatchers never skip an event (at most they repeat one:
 * receivers de-duplicate on taskId + seq). A retryable failure stops that config and asks for a
 * retry with backoff; a permanent one (other 4xx, refused URL) skips the event, and after
 * `suspendAfter` consecutive permanent failures the config is suspended. Configs are isolated: a
 * sender that throws counts as a retryable failure of that config, and anything else that throws
 * while one config is dispatched is logged and retried later, after the other configs had their turn.
 */

import { randomUUID } from 'node:crypto';
import { toLegacyTask } from '../../core/compat/v0_3/v1-to-legacy';
import type { RequestContext } from '../../core/context';
import type { Clock } from '../../core/ports/clock';
import type { Logger } from '../../core/ports/logger';
import type {
  PushConfigStore,
  PushDeliveryCursors,
  PushDeliveryState,
  PushLeases,
  StoredPushConfig,
} from '../../core/ports/push-config-store';
import type { PushDelivery, PushSender, PushSendResult } from '../../core/ports/push-sender';
import type { TaskReader } from '../../core/ports/task-records';
import { type StoredEvent, type TaskRecord, toTask } from '../../core/task-record';
import { framesOf, snapshotFrame } from '../../core/use-cases/stream-frames';

/** The task store roles a dispatcher uses: the task and its log, its configs' cursors and leases. */
export type PushDispatchStore = TaskReader &
  Pick<PushConfigStore, 'listPushConfigs'> &
  PushDeliveryCursors &
  PushLeases;

export interface PushDispatchDeps {
  store: PushDispatchStore;
  sender: PushSender;
  clock: Clock;
  logger: Logger;
  settings: {
    /** consecutive permanent failures that suspend a config */
    suspendAfter: number;
    /** how long a dispatcher may hold a config (longer than a run of deliveries) */
    leaseMs: number;
    /** events read per page */
    pageSize?: number;
  };
  /** names this dispatcher's leases */
  dispatcherId: string;
}

export interface DispatchOutcome {
  delivered: number;
  failed: number;
  /** some config hit a retryable failure: try again with backoff */
  retry: boolean;
  /** another dispatcher holds some config: try again soon (it may miss what came after its read) */
  busy: boolean;
}

interface Batch {
  seq: number;
  bodies: Buffer[];
}

export async function deliverTaskPushes(
  deps: PushDispatchDeps,
  ctx: RequestContext,
  taskId: string,
): Promise<DispatchOutcome> {
  const outcome: DispatchOutcome = { delivered: 0, failed: 0, retry: false, busy: false };
  if (!(await deps.store.get(ctx, taskId))) return outcome;
  for (const listed of await deps.store.listPushConfigs(ctx, taskId)) {
    if (listed.delivery?.suspended) continue;
    await dispatchConfig(deps, ctx, taskId, listed.config.id ?? '', outcome);
  }
  return outcome;
}

/** Rounds of lease, drain, release, look again for one config in one dispatch (see below). */
const MAX_ROUNDS = 4;

/**
 * Holds the config's lease while draining it, then, after releasing it, looks at the log once
 * more: an event committed after the last read under the lease, whose trigger found the config
 * busy, is delivered now instead of waiting for that trigger's retry (which then finds nothing
 * to do). The busy trigger still retries, so a holder that dies mid-drain delays, never loses.
 */
async function dispatchConfig(
  deps: PushDispatchDeps,
  ctx: RequestContext,
  taskId: string,
  configId: string,
  outcome: DispatchOutcome,
): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
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
    let drainedTo: number | undefined;
    try {
      drainedTo = await drainConfig(deps, ctx, taskId, held, outcome);
    } catch (err) {
      // One config's failure is that config's alone: the others of the task still get every event.
      outcome.failed++;
      outcome.retry = true;
      deps.logger.error({ err, taskId, configId }, 'push dispatch of one config failed; will retry');
    } finally {
      await deps.store.releasePushLease(ctx, taskId, configId, owner).catch(() => undefined);
    }
    if (drainedTo === undefined) return;
    if ((await deps.store.readEvents(ctx, taskId, drainedTo, 1)).length === 0) return;
  }
}

/**
 * Delivers everything after the config's cursor, re-reading until the log has nothing newer.
 * Returns the cursor when the log was drained; undefined when it stopped short (a retry, a
 * suspension, the task gone, or the cursor moved by someone else).
 */
async function drainConfig(
  deps: PushDispatchDeps,
  ctx: RequestContext,
  taskId: string,
  config: StoredPushConfig,
  outcome: DispatchOutcome,
): Promise<number | undefined> {
  const log = deps.logger.child({ taskId, configId: config.config.id });
  let current = config;
  for (;;) {
    const task = await deps.store.get(ctx, taskId);
    if (!task) return undefined;
    let state: PushDeliveryState = current.delivery ?? { lastDeliveredSeq: 0, consecutiveFailures: 0 };
    const pending: Batch[] = [];
    if (state.snapshotPending)
      pending.push({ seq: state.lastDeliveredSeq, bodies: [snapshotBody(current, task)] });
    const events = await deps.store.readEvents(
      ctx,
      taskId,
      state.lastDeliveredSeq,
      deps.settings.pageSize ?? 500,
    );
    for (const event of events) pending.push({ seq: event.seq, bodies: eventBodies(current, task, event) });
    if (pending.length === 0) return state.lastDeliveredSeq;

    for (const batch of pending) {
      const next = await sendBatch(deps, ctx, task, current, state, batch);
      const saved: StoredPushConfig = { ...current, delivery: next.state };
      if (!(await deps.store.updatePushDelivery(ctx, taskId, saved, state.lastDeliveredSeq)))
        return undefined;
      current = saved;
      if (next.kind === 'retry') {
        outcome.failed++;
        outcome.retry = true;
        log.warn(
          { seq: batch.seq, attempt: next.state.consecutiveFailures, reason: next.state.lastError },
          'push delivery failed; will retry',
        );
        return undefined;
      }
      if (next.kind === 'permanent') outcome.failed++;
      else outcome.delivered += batch.bodies.length;
      if (next.state.suspended) {
        log.warn(
          { failures: next.state.consecutiveFailures, reason: next.state.lastError },
          'push config suspended after repeated permanent failures',
        );
        return undefined;
      }
      state = next.state;
    }
  }
}

type BatchResult = { kind: 'ok' | 'permanent' | 'retry'; state: PushDeliveryState };

async function sendBatch(
  deps: PushDispatchDeps,
  ctx: RequestContext,
  task: TaskRecord,
  stored: StoredPushConfig,
  state: PushDeliveryState,
  batch: Batch,
): Promise<BatchResult> {
  for (const body of batch.bodies) {
    const result = await sendOne(deps, {
      config: stored.config,
      taskId: task.id,
      seq: batch.seq,
      body,
      ...((ctx.traceparent ?? task.traceparent) ? { traceparent: ctx.traceparent ?? task.traceparent } : {}),
    });
    if (result.ok) continue;
    const failures = state.consecutiveFailures + 1;
    const lastError =
      result.status === undefined ? result.reason : `${result.reason} (HTTP ${result.status})`;
    if (result.retryable)
      return { kind: 'retry', state: { ...state, consecutiveFailures: failures, lastError } };
    return {
      kind: 'permanent',
      state: {
        lastDeliveredSeq: batch.seq,
        consecutiveFailures: failures,
        lastError,
        ...(failures >= deps.settings.suspendAfter ? { suspended: true } : {}),
      },
    };
  }
  return { kind: 'ok', state: { lastDeliveredSeq: batch.seq, consecutiveFailures: 0 } };
}

/**
 * A sender that throws (a bug, a value the HTTP stack refuses, the signing keys unavailable) fails
 * this delivery as retryable, recorded on the config like any other failure: retrying is safe for
 * the transient causes, and the cursor stays put until it succeeds.
 */
async function sendOne(deps: PushDispatchDeps, delivery: PushDelivery): Promise<PushSendResult> {
  try {
    return await deps.sender.send(delivery);
  } catch (err) {
    deps.logger.error(
      { err, taskId: delivery.taskId, configId: delivery.config.id, seq: delivery.seq },
      'push sender threw',
    );
    return { ok: false, retryable: true, reason: SENDER_ERROR };
  }
}

/** lastError of a delivery whose sender threw instead of answering. */
export const SENDER_ERROR = 'SENDER_ERROR';

/** 0.3 configs get the Task object; v1.0 configs a single-member StreamResponse. */
function snapshotBody(stored: StoredPushConfig, task: TaskRecord): Buffer {
  if (stored.protocol === '0.3') return json(toLegacyTask(toTask(task)));
  return json(snapshotFrame(task).response);
}

function eventBodies(stored: StoredPushConfig, task: TaskRecord, event: StoredEvent): Buffer[] {
  if (stored.protocol === '0.3') return [json(toLegacyTask(toTask(task)))];
  return framesOf(task, event).map((f) => json(f.response));
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');
