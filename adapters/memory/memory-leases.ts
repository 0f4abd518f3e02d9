/**
 * The run lease on a memory entry, as DynamoDB's conditional updates of the snapshot (a lease
 * held by another owner and not yet run out refuses a claim; only its owner renews or releases
 * it; each change replaces the frozen record), and the reconciler's slot it moves (GSI3).
 */
import type { LeaseRequest, StrandedQuery, StrandedTaskRef } from '../../core/ports/task-store';
import { isRunnableFrom, type Lease, type TaskRecord } from '../../core/task-record';
import { STALE_SUBMITTED_MS } from '../shared/reconcile-due';
import { type Entry, recordWith } from './memory-entry';

export function acquireLease(e: Entry, req: LeaseRequest): TaskRecord | undefined {
  const held = e.task.lease;
  if (held && held.until > req.now && held.owner !== req.lease.owner) return undefined;
  if (req.runnableFrom !== undefined && !isRunnableFrom(e.task, req.runnableFrom)) return undefined;
  e.task = Object.freeze({ ...e.task, lease: Object.freeze({ ...req.lease }) });
  return e.task;
}

export function renewLease(e: Entry, lease: Lease): boolean {
  if (e.task.lease?.owner !== lease.owner) return false;
  e.task = Object.freeze({ ...e.task, lease: Object.freeze({ ...lease }) });
  return true;
}

/** A released task is due for the reconciler STALE_SUBMITTED_MS from now. */
export function releaseLease(e: Entry, owner: string, now: number): void {
  if (e.task.lease?.owner !== owner) return;
  e.task = recordWith(e.task, {}, ['lease']);
  e.reconcile.dueAt = now + STALE_SUBMITTED_MS;
}

/** Moves a task's reconciler due time to `until` (not before now), unless its lease lasts longer. */
export function deferReconcile(e: Entry, until: number, now: number): void {
  const due = Math.max(until, now);
  if (!e.reconcile.indexed || (e.task.lease && e.task.lease.until > due)) return;
  e.reconcile.dueAt = due;
}

/** The reconciler's query: indexed tasks due by `dueBefore`, earliest first. */
export function findStranded(entries: Iterable<Entry>, q: StrandedQuery): StrandedTaskRef[] {
  if (q.limit < 1) return [];
  return [...entries]
    .filter((e) => e.reconcile.indexed && e.reconcile.dueAt <= q.dueBefore)
    .map((e) => ({ tenant: e.task.tenant, taskId: e.task.id, dueAt: e.reconcile.dueAt }))
    .sort((a, b) => a.dueAt - b.dueAt)
    .slice(0, q.limit);
}
