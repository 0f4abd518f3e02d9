/**
 * In-memory twin of DynamoTaskStore, with the same semantics (see the TaskStore contract suite),
 * including its TTL behaviour: items carry their own expiry. The snapshot and the events of the
 * ending commit expire with the task, push configs once a dispatcher stamped them (decision 76);
 * earlier events and idempotency records do not (in DynamoDB nothing removes them yet; here the
 * finished-task cap does).
 *
 * Bounded (`maxFinishedTasks`): at most that many finished (terminal) tasks are kept; beyond it
 * the task that finished first is evicted with everything that belongs to it (events, push
 * configs with their cursors and leases, idempotency records), and `onEvict` tells the other
 * in-process holders (the checkpointer) to drop theirs. An evicted task reads as absent, like an
 * expired one: TaskNotFound at the edge. Tasks that have not finished are never evicted.
 */

import { isTerminal } from '../../core/a2a/task-state';
import { type RequestContext, tenantOf } from '../../core/context';
import { VersionConflictError } from '../../core/errors';
import { type Clock, systemClock } from '../../core/ports/clock';
import type { PushDeliveryMove, PushDispatchRead, PushRelease } from '../../core/ports/push-config-store';
import {
  type CommitInput,
  type CreateTaskInput,
  type CreateTaskResult,
  DEFAULT_MAX_PUSH_CONFIGS_PER_TASK,
  type LeaseRequest,
  type ListTasksPage,
  type ListTasksQuery,
  type StoredPushConfig,
  type StrandedQuery,
  type StrandedTaskRef,
  type TaskStore,
} from '../../core/ports/task-store';
import type { Lease, StoredEvent, TaskRecord } from '../../core/task-record';
import { assertSequence, checkSizes } from '../shared/commit-checks';
import { slotAfterCommit, slotOnCreate } from '../shared/reconcile-due';
import { eventsAfter } from './events-after';
import { FinishedTasks } from './finished-tasks';
import { immutableCopy } from './immutable-copy';
import {
  clone,
  committedRecord,
  type Entry,
  expiredAt,
  recordWith,
  type Stamped,
  stamp,
} from './memory-entry';
import { acquireLease, deferReconcile, findStranded, releaseLease, renewLease } from './memory-leases';
import { listTasks } from './memory-list';
import { MemoryPushConfigs } from './memory-push-configs';
import { QueuedTasks } from './queued-tasks';

export interface MemoryTaskStoreLimits {
  /** finished (terminal) tasks kept; the oldest finished beyond it are evicted. Default: no cap */
  maxFinishedTasks?: number;
  /** called after a task was evicted, so other in-process state of the task can go too */
  onEvict?: (tenant: string, taskId: string) => void;
}

export class MemoryTaskStore implements TaskStore {
  private readonly tasks = new Map<string, Entry>();
  /** the queued-work count (countQueued) */
  private readonly queued = new QueuedTasks();
  private readonly messages = new Map<string, string>();
  private readonly push = new MemoryPushConfigs((expiresAt) => this.expired(expiresAt));
  private readonly finished: FinishedTasks;
  private readonly onEvict: ((tenant: string, taskId: string) => void) | undefined;
  private evictedCount = 0;

  constructor(
    private readonly clock: Clock = systemClock,
    limits: MemoryTaskStoreLimits = {},
  ) {
    this.finished = new FinishedTasks(limits.maxFinishedTasks ?? Number.POSITIVE_INFINITY);
    this.onEvict = limits.onEvict;
  }

  /** Tasks held, finished or not (evicted ones are gone). */
  get size(): number {
    return this.tasks.size;
  }

  /** Finished tasks evicted so far (beyond maxFinishedTasks). */
  get evictedTasks(): number {
    return this.evictedCount;
  }

  private key = (ctx: RequestContext, id: string) => `${tenantOf(ctx)}\u0000${id}`;

  private expired = (expiresAt: number | undefined): boolean => expiredAt(expiresAt, this.clock.now());

  private live(ctx: RequestContext, taskId: string): Entry | undefined {
    const e = this.tasks.get(this.key(ctx, taskId));
    return e && !this.expired(e.task.expiresAt) ? e : undefined;
  }

  async create(ctx: RequestContext, input: CreateTaskInput): Promise<CreateTaskResult> {
    const copies = new Map<object, unknown>();
    const task: TaskRecord = immutableCopy({ ...input.task, tenant: tenantOf(ctx) }, copies);
    const events = input.events.map((ev) => immutableCopy(ev, copies));
    checkSizes([task, ...events, ...(input.pushConfigs ?? [])]);
    const msgKey = this.key(ctx, input.idempotencyKey);
    const existing = this.messages.get(msgKey);
    if (existing !== undefined) {
      const e = this.live(ctx, existing);
      if (e) return { created: false, task: e.task };
    }
    // A task id is never reused, not even an expired one's (its leftover items are still there).
    const key = this.key(ctx, task.id);
    if (this.tasks.has(key)) throw new VersionConflictError(task.id, 0);
    const configs = new Map<string, Stamped<StoredPushConfig>>();
    for (const c of input.pushConfigs ?? []) configs.set(c.config.id ?? '', stamp(clone(c), task.expiresAt));
    const entry: Entry = {
      key,
      task,
      events: events.map((ev) => stamp(ev, task.expiresAt)),
      configs,
      reconcile: slotOnCreate(task),
      messageKeys: [msgKey],
    };
    this.tasks.set(key, entry);
    this.queued.track(task);
    this.messages.set(msgKey, task.id);
    this.trackFinished(entry);
    return { created: true, task };
  }

  async get(ctx: RequestContext, taskId: string): Promise<TaskRecord | undefined> {
    const e = this.live(ctx, taskId);
    return e?.task;
  }

  async commit(ctx: RequestContext, input: CommitInput): Promise<TaskRecord> {
    assertSequence(input);
    const copies = new Map<object, unknown>();
    const next: TaskRecord = immutableCopy({ ...input.next, tenant: tenantOf(ctx) }, copies);
    const events = input.events.map((ev) => immutableCopy(ev, copies));
    checkSizes([next, ...events]);
    const e = this.live(ctx, input.taskId);
    if (!e || e.task.version !== input.expectedVersion) {
      throw new VersionConflictError(input.taskId, input.expectedVersion);
    }
    const msgKey = input.idempotencyKey === undefined ? undefined : this.key(ctx, input.idempotencyKey);
    if (msgKey !== undefined && this.messages.has(msgKey)) {
      throw new VersionConflictError(input.taskId, input.expectedVersion);
    }
    // A push config appeared since the caller's read: it must re-read, so its trigger sees it.
    // And a commit that stops for input must not pass a cancel request the caller has not read.
    if ((e.task.hasPush && !input.next.hasPush) || (input.unlessCancelRequested && e.task.cancelRequested)) {
      throw new VersionConflictError(input.taskId, input.expectedVersion);
    }
    const ended = isTerminal(next.status.state);
    const stored = committedRecord(e.task, next);
    e.reconcile = slotAfterCommit(e.reconcile, next, this.clock.now());
    e.task = stored;
    this.queued.track(stored);
    for (const ev of events) e.events.push(stamp(ev, next.expiresAt));
    if (msgKey !== undefined) {
      this.messages.set(msgKey, input.taskId);
      e.messageKeys.push(msgKey);
    }
    this.trackFinished(e);
    // lease and cancelRequested are as the caller read them (DynamoDB cannot read back in a transaction).
    if (!ended || next.lease === undefined) return next;
    return recordWith(next, {}, ['lease']);
  }

  async readEvents(
    ctx: RequestContext,
    taskId: string,
    afterSeq: number,
    limit = 1000,
  ): Promise<StoredEvent[]> {
    const e = this.tasks.get(this.key(ctx, taskId));
    return e ? eventsAfter(e.events, afterSeq, limit, this.expired) : [];
  }

  list(ctx: RequestContext, q: ListTasksQuery): Promise<ListTasksPage> {
    return listTasks(this.tasks.values(), tenantOf(ctx), q, this.expired);
  }

  async findByMessageId(ctx: RequestContext, messageId: string): Promise<string | undefined> {
    return this.messages.get(this.key(ctx, messageId));
  }

  async acquireLease(ctx: RequestContext, req: LeaseRequest): Promise<TaskRecord | undefined> {
    const e = this.live(ctx, req.taskId);
    return e && acquireLease(e, req);
  }

  async renewLease(ctx: RequestContext, taskId: string, lease: Lease): Promise<boolean> {
    const e = this.live(ctx, taskId);
    return e !== undefined && renewLease(e, lease);
  }

  async releaseLease(ctx: RequestContext, taskId: string, owner: string): Promise<void> {
    const e = this.live(ctx, taskId);
    if (e) releaseLease(e, owner, this.clock.now());
  }

  async requestCancel(ctx: RequestContext, taskId: string): Promise<void> {
    const e = this.live(ctx, taskId);
    if (e) e.task = Object.freeze({ ...e.task, cancelRequested: true });
  }

  async findStranded(q: StrandedQuery): Promise<StrandedTaskRef[]> {
    return findStranded(this.tasks.values(), q);
  }

  /** Like GSI5: a count kept per tenant as tasks enter and leave SUBMITTED, not a scan. */
  async countQueued(ctx: RequestContext, limit: number): Promise<number> {
    return this.queued.count(tenantOf(ctx), limit);
  }

  /** A task that reached a terminal state joins the eviction order; beyond the cap the oldest goes. */
  private trackFinished(e: Entry): void {
    if (!isTerminal(e.task.status.state)) return;
    for (const key of this.finished.finished(e.key)) this.evict(key);
  }

  /** Removes a finished task and everything stored for it (leases go with their configs). */
  private evict(key: string): void {
    const e = this.tasks.get(key);
    if (!e) return;
    this.tasks.delete(key);
    this.evictedCount += 1;
    for (const msgKey of e.messageKeys) {
      if (this.messages.get(msgKey) === e.task.id) this.messages.delete(msgKey);
    }
    this.onEvict?.(e.task.tenant, e.task.id);
  }

  async deferReconcile(ctx: RequestContext, taskId: string, until: number): Promise<void> {
    const e = this.live(ctx, taskId);
    if (e) deferReconcile(e, until, this.clock.now());
  }

  /** Needs a live task; a config put on a finished task expires with it. */
  async putPushConfig(
    ctx: RequestContext,
    taskId: string,
    config: StoredPushConfig,
    maxPerTask = DEFAULT_MAX_PUSH_CONFIGS_PER_TASK,
  ): Promise<void> {
    checkSizes([config]);
    const e = this.live(ctx, taskId);
    if (!e) throw new VersionConflictError(taskId, -1);
    this.push.put(e, taskId, config, maxPerTask);
    if (!e.task.hasPush) e.task = Object.freeze({ ...e.task, hasPush: true });
  }

  async updatePushDelivery(
    ctx: RequestContext,
    taskId: string,
    config: StoredPushConfig,
    expectedSeq: number,
  ): Promise<boolean> {
    return this.push.updateDelivery(this.live(ctx, taskId), config, expectedSeq);
  }

  async acquirePushLease(
    ctx: RequestContext,
    taskId: string,
    id: string,
    lease: Lease,
    now: number,
  ): Promise<StoredPushConfig | undefined> {
    return this.push.acquireLease(this.live(ctx, taskId), id, lease, now);
  }

  async releasePushLease(
    ctx: RequestContext,
    taskId: string,
    id: string,
    owner: string,
    delivery?: PushDeliveryMove,
    expiresAt?: number,
  ): Promise<PushRelease> {
    return this.push.releaseLease(this.tasks.get(this.key(ctx, taskId)), id, owner, delivery, expiresAt);
  }

  async expirePushConfig(ctx: RequestContext, taskId: string, id: string, expiresAt: number): Promise<void> {
    this.push.expire(this.tasks.get(this.key(ctx, taskId)), id, expiresAt);
  }

  async getPushConfig(
    ctx: RequestContext,
    taskId: string,
    id: string,
  ): Promise<StoredPushConfig | undefined> {
    return this.push.get(this.tasks.get(this.key(ctx, taskId)), id);
  }

  async listPushConfigs(ctx: RequestContext, taskId: string): Promise<StoredPushConfig[]> {
    return this.push.list(this.tasks.get(this.key(ctx, taskId)));
  }

  async readForDispatch(
    ctx: RequestContext,
    taskId: string,
    afterSeq: number | undefined,
    limit: number,
  ): Promise<PushDispatchRead | undefined> {
    const e = this.live(ctx, taskId);
    if (!e) return undefined;
    // The record and events are frozen and handed out as they are; configs are copies (list).
    const events = afterSeq === undefined ? [] : eventsAfter(e.events, afterSeq, limit, this.expired);
    return { task: e.task, configs: this.push.list(e), events };
  }

  async deletePushConfig(ctx: RequestContext, taskId: string, id: string): Promise<void> {
    this.push.delete(this.tasks.get(this.key(ctx, taskId)), taskId, id, ctx.principal.subject);
  }
}
