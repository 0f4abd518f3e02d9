/**
 * The task store's roles that steer runs: the worker's lease on a task, the cancel flag, the
 * reconciler's index of stranded tasks and the count of a tenant's queued tasks. TaskStore
 * (task-store.ts) is all the roles together.
 */
import type { RequestContext } from '../context';
import type { Lease, TaskRecord } from '../task-record';

export interface LeaseRequest {
  taskId: string;
  lease: Lease;
  /** epoch ms "now": an existing lease that ends before this can be taken over */
  now: number;
  /**
   * Claim only a task that is SUBMITTED or WORKING at this version or later (a work message's
   * seq): a worker claims first and reads only when the claim fails, so a run starts with one
   * request instead of a read and a write.
   */
  runnableFrom?: number;
}

/** One worker runs a task at a time: it holds the task's lease while it runs. */
export interface RunLeases {
  /** Takes the lease if none is held or the held one has expired. Returns the task or undefined. */
  acquireLease(ctx: RequestContext, req: LeaseRequest): Promise<TaskRecord | undefined>;
  /** Extends a lease this owner holds; false if it was lost. */
  renewLease(ctx: RequestContext, taskId: string, lease: Lease): Promise<boolean>;
  releaseLease(ctx: RequestContext, taskId: string, owner: string): Promise<void>;
}

/** The flag CancelTask sets on a running task; the worker that holds it ends the task. */
export interface CancelFlags {
  /** Marks a running task for cancellation; the worker ends it. */
  requestCancel(ctx: RequestContext, taskId: string): Promise<void>;
}

/** A task the reconciler may have to re-enqueue (see findStranded). */
export interface StrandedTaskRef {
  tenant: string;
  taskId: string;
  /** epoch ms from which the task counts as stranded */
  dueAt: number;
}

export interface StrandedQuery {
  /** epoch ms: tasks due at or before this */
  dueBefore: number;
  limit: number;
}

/** The reconciler's index of SUBMITTED and WORKING tasks, by the time they become due. */
export interface ReconcileIndex {
  /**
   * The one system-wide query (every follow-up call is tenant-scoped). Lists SUBMITTED or WORKING
   * tasks that are due, oldest first, at most `limit`: a task is due a grace period
   * (STALE_SUBMITTED_MS) after it was submitted or its lease was released; claims and renewals do
   * not move it, so a listed task may still be under a live lease (the caller defers it to the
   * lease's end). The index may lag a write a little: callers re-read the task before acting.
   */
  findStranded(query: StrandedQuery): Promise<StrandedTaskRef[]>;
  /** Moves a SUBMITTED/WORKING task's due time to `until`, unless a live lease ends after `until`. */
  deferReconcile(ctx: RequestContext, taskId: string, until: number): Promise<void>;
}

/** How many of a tenant's tasks wait for a worker (the per-tenant queue cap). */
export interface QueuedTaskCount {
  /**
   * How many of the tenant's tasks are SUBMITTED (waiting for a worker), counted up to `limit`.
   * Derived from the tasks (DynamoDB: a sparse GSI), so it never drifts; it may lag a write a little.
   */
  countQueued(ctx: RequestContext, limit: number): Promise<number>;
}
