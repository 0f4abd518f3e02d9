/**
 * What one push delivery sends and how its answer moves the config's delivery state: the bodies
 * of a snapshot or of one log entry (per protocol), sent in order, and the state that follows.
 */
import { toLegacyTask } from '../../core/compat/v0_3/v1-to-legacy';
import type { RequestContext } from '../../core/context';
import type { Logger } from '../../core/ports/logger';
import type { PushDeliveryState, StoredPushConfig } from '../../core/ports/push-config-store';
import type { PushDelivery, PushSender, PushSendResult } from '../../core/ports/push-sender';
import { type StoredEvent, type TaskRecord, toTask } from '../../core/task-record';
import { framesOf, snapshotFrame } from '../../core/use-cases/stream-frames';

/** What sending needs of the dispatcher's dependencies. */
export interface BatchDeps {
  sender: PushSender;
  logger: Logger;
  settings: { suspendAfter: number };
}

/** One seq's bodies: a log entry's frames, or the snapshot sent at the cursor. */
export interface Batch {
  seq: number;
  bodies: Buffer[];
}

type BatchResult = { kind: 'ok' | 'permanent' | 'retry'; state: PushDeliveryState };

export async function sendBatch(
  deps: BatchDeps,
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
async function sendOne(deps: BatchDeps, delivery: PushDelivery): Promise<PushSendResult> {
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
export function snapshotBody(stored: StoredPushConfig, task: TaskRecord): Buffer {
  if (stored.protocol === '0.3') return json(toLegacyTask(toTask(task)));
  return json(snapshotFrame(task).response);
}

export function eventBodies(stored: StoredPushConfig, task: TaskRecord, event: StoredEvent): Buffer[] {
  if (stored.protocol === '0.3') return [json(toLegacyTask(toTask(task)))];
  return framesOf(task, event).map((f) => json(f.response));
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');
