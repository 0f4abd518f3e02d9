/**
 * When a task becomes the reconciler's business, shared by both stores so they agree (the
 * TaskStore contract checks it). Only SUBMITTED and WORKING tasks are indexed:
 * - a task submitted (created, or continued by a follow-up) is due STALE_SUBMITTED_MS later: its
 *   work message should have been picked up by then;
 * - claims and renewals leave the due time alone (a GSI3 key move costs 2 WRU per write): the
 *   reconciler defers a due task it finds under a live lease to the lease's end; a release sets it
 *   STALE_SUBMITTED_MS after the release (a retryable failure put the message back on the queue);
 * - a commit to WORKING keeps the due time the claim set; any other state leaves the index.
 */
import { TaskState } from '../../core/a2a/task-state';
import type { TaskRecord } from '../../core/task-record';

export const STALE_SUBMITTED_MS = 60_000;

export const isReconcilable = (state: TaskState): boolean =>
  state === TaskState.Submitted || state === TaskState.Working;

/**
 * The due time after a commit that moves a task to `state`: a number to set, 'keep' to leave the
 * current one (or set `nowMs + grace` if there is none), or undefined to leave the index.
 */
export function dueAfterCommit(state: TaskState, nowMs: number): number | 'keep' | undefined {
  if (state === TaskState.Submitted) return nowMs + STALE_SUBMITTED_MS;
  if (state === TaskState.Working) return 'keep';
  return undefined;
}

/** A task's place in the reconciler index (the memory twin keeps one per task; DynamoDB, GSI3). */
export interface ReconcileSlot {
  indexed: boolean;
  dueAt: number;
}

/** Due time of a task as created: its lease's end, or a grace period after it was submitted. */
export function dueOnCreate(task: Pick<TaskRecord, 'status' | 'createdAt' | 'lease'>): number {
  const submitted = Date.parse(task.status.timestamp ?? task.createdAt);
  return task.lease?.until ?? (Number.isNaN(submitted) ? 0 : submitted) + STALE_SUBMITTED_MS;
}

export const slotOnCreate = (task: TaskRecord): ReconcileSlot => ({
  indexed: isReconcilable(task.status.state) && task.directReply === undefined,
  dueAt: dueOnCreate(task),
});

export function slotAfterCommit(slot: ReconcileSlot, next: TaskRecord, nowMs: number): ReconcileSlot {
  const due = next.directReply === undefined ? dueAfterCommit(next.status.state, nowMs) : undefined;
  if (due === undefined) return { ...slot, indexed: false };
  if (due !== 'keep') return { indexed: true, dueAt: due };
  return slot.indexed ? slot : { indexed: true, dueAt: nowMs + STALE_SUBMITTED_MS };
}
