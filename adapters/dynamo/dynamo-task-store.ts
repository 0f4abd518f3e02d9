/**
 * TaskStore on one DynamoDB table (key schema: keys.ts, table: table-schema.ts, items: task-items.ts).
 * Every task write is conditional: create on absence, commit on the version it read, leases on
 * their owner. A commit moves the snapshot first, with its events pending there, then appends
 * them to the log (commit-task.ts); reads complete the log from the snapshot (task-tail-read.ts).
 *
 * TTL: a record gets `expiresAt` when it ends. Items written while it is set (the snapshot, the
 * final events, configs put later) carry it too, push configs get it from the dispatcher that
 * releases them after the end (decision 76), and reads skip expired items. Events written before
 * the end and idempotency records are not stamped, and nothing removes them yet: they outlive
 * the snapshot (README, "Data: the single table", known gap).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isTerminal } from '../../core/a2a/task-state';
import { type RequestContext, tenantOf } from '../../core/context';
import { type Clock, systemClock } from '../../core/ports/clock';
import type { Logger } from '../../core/ports/logger';
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
import { CompleteLogs, commitTask } from './commit-task';
import { createTask } from './create-task';
import { storeError } from './dynamo-errors';
import { messageKey, PUSH_PREFIX, pushSk, taskKey, taskPk } from './keys';
import { acquireLease, releaseLease, renewLease, requestCancel } from './lease-ops';
import { listTasks } from './list-tasks';
import { deletePushConfig, putPushConfig } from './push-config-ops';
import {
  acquirePushLease,
  expirePushConfig,
  releasePushLease,
  updatePushDelivery,
} from './push-delivery-ops';
import { countQueued } from './queued-count';
import { deferReconcile, findStranded } from './reconcile-index';
import { TableAccess } from './table-access';
import { configId, fromPushItem, type Item, isExpired, readTaskItem } from './task-items';
import { readEvents, readForDispatch } from './task-tail-read';

export interface DynamoTaskStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  clock?: Clock;
  /** told of a commit whose event puts failed after it (the events stay pending: decision 83), or a gap in a log */
  logger?: Logger;
}

export class DynamoTaskStore implements TaskStore {
  private readonly t: TableAccess;
  private readonly logs = new CompleteLogs();

  constructor(opts: DynamoTaskStoreOptions) {
    this.t = new TableAccess(opts.client, opts.tableName, opts.clock ?? systemClock, opts.logger);
  }

  create(ctx: RequestContext, input: CreateTaskInput): Promise<CreateTaskResult> {
    return createTask(this.t, tenantOf(ctx), input, async (key) => {
      const existingId = await this.findByMessageId(ctx, key);
      return { existingId, existing: existingId === undefined ? undefined : await this.get(ctx, existingId) };
    });
  }

  async get(ctx: RequestContext, taskId: string): Promise<TaskRecord | undefined> {
    const item = await this.t.getItem(taskKey(tenantOf(ctx), taskId));
    return item === undefined ? undefined : this.saw(item);
  }

  /** A snapshot read: tells the commit path how far the task's log is known to be complete. */
  private saw(item: Item): TaskRecord {
    const { record, pending } = readTaskItem(item);
    this.logs.saw(String(item.PK), record, pending);
    return record;
  }

  async commit(ctx: RequestContext, input: CommitInput): Promise<TaskRecord> {
    assertSequence(input);
    const next = { ...input.next, tenant: tenantOf(ctx) };
    const [, ...eventSizes] = checkSizes([next, ...input.events]);
    const eventBytes = eventSizes.reduce((sum, n) => sum + n, 0);
    await commitTask(this.t, this.logs, { ...input, next }, eventBytes);
    // lease and cancelRequested are as the caller read them; the commit that ends the task ends the lease.
    return endsLease(next);
  }

  readEvents(ctx: RequestContext, taskId: string, afterSeq: number, limit = 1000): Promise<StoredEvent[]> {
    return readEvents(this.t, tenantOf(ctx), taskId, afterSeq, limit);
  }

  async list(ctx: RequestContext, query: ListTasksQuery): Promise<ListTasksPage> {
    try {
      return await listTasks(this.t.doc, this.t.table, tenantOf(ctx), query, this.t.clock.now());
    } catch (err) {
      throw storeError(err);
    }
  }

  async findByMessageId(ctx: RequestContext, messageId: string): Promise<string | undefined> {
    const item = await this.t.getItem(messageKey(tenantOf(ctx), messageId));
    return typeof item?.taskId === 'string' ? item.taskId : undefined;
  }

  async acquireLease(ctx: RequestContext, req: LeaseRequest): Promise<TaskRecord | undefined> {
    const item = await acquireLease(this.t, tenantOf(ctx), req);
    return item === undefined ? undefined : this.saw(item);
  }

  renewLease(ctx: RequestContext, taskId: string, lease: Lease): Promise<boolean> {
    return renewLease(this.t, tenantOf(ctx), taskId, lease);
  }

  releaseLease(ctx: RequestContext, taskId: string, owner: string): Promise<void> {
    return releaseLease(this.t, tenantOf(ctx), taskId, owner);
  }

  requestCancel(ctx: RequestContext, taskId: string): Promise<void> {
    return requestCancel(this.t, tenantOf(ctx), taskId);
  }

  findStranded(query: StrandedQuery): Promise<StrandedTaskRef[]> {
    return findStranded(this.t, query);
  }

  countQueued(ctx: RequestContext, limit: number): Promise<number> {
    return countQueued(this.t, tenantOf(ctx), limit);
  }

  deferReconcile(ctx: RequestContext, taskId: string, until: number): Promise<void> {
    return deferReconcile(this.t, tenantOf(ctx), taskId, until);
  }

  async putPushConfig(
    ctx: RequestContext,
    taskId: string,
    config: StoredPushConfig,
    maxPerTask = DEFAULT_MAX_PUSH_CONFIGS_PER_TASK,
  ): Promise<void> {
    checkSizes([config]);
    await putPushConfig(this.t, tenantOf(ctx), taskId, config, maxPerTask);
  }

  async getPushConfig(
    ctx: RequestContext,
    taskId: string,
    id: string,
  ): Promise<StoredPushConfig | undefined> {
    const item = await this.t.getItem({ PK: taskPk(tenantOf(ctx), taskId), SK: pushSk(id) });
    return item === undefined ? undefined : fromPushItem(item);
  }

  async listPushConfigs(ctx: RequestContext, taskId: string): Promise<StoredPushConfig[]> {
    const now = this.t.clock.now();
    const items = await this.t.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': taskPk(tenantOf(ctx), taskId), ':prefix': PUSH_PREFIX },
    });
    return items
      .filter((item) => !isExpired(item, now))
      .map(fromPushItem)
      .sort((a, b) => (configId(a) < configId(b) ? -1 : configId(a) > configId(b) ? 1 : 0));
  }

  deletePushConfig(ctx: RequestContext, taskId: string, id: string): Promise<void> {
    return deletePushConfig(this.t, tenantOf(ctx), taskId, id, ctx.principal.subject);
  }

  updatePushDelivery(
    ctx: RequestContext,
    taskId: string,
    config: StoredPushConfig,
    expectedSeq: number,
  ): Promise<boolean> {
    return updatePushDelivery(this.t, tenantOf(ctx), taskId, config, expectedSeq);
  }

  acquirePushLease(
    ctx: RequestContext,
    taskId: string,
    id: string,
    lease: Lease,
    now: number,
  ): Promise<StoredPushConfig | undefined> {
    return acquirePushLease(this.t, tenantOf(ctx), taskId, id, lease, now);
  }

  releasePushLease(
    ctx: RequestContext,
    taskId: string,
    id: string,
    owner: string,
    delivery?: PushDeliveryMove,
    expiresAt?: number,
  ): Promise<PushRelease> {
    return releasePushLease(this.t, tenantOf(ctx), taskId, id, owner, delivery, expiresAt);
  }

  expirePushConfig(ctx: RequestContext, taskId: string, id: string, expiresAt: number): Promise<void> {
    return expirePushConfig(this.t, tenantOf(ctx), taskId, id, expiresAt);
  }

  readForDispatch(
    ctx: RequestContext,
    taskId: string,
    afterSeq: number | undefined,
    limit: number,
  ): Promise<PushDispatchRead | undefined> {
    return readForDispatch(this.t, tenantOf(ctx), taskId, afterSeq, limit);
  }
}

/** The record a commit returns: a task that ended holds no lease (commitUpdate removed it). */
function endsLease(next: TaskRecord): TaskRecord {
  if (!isTerminal(next.status.state) || next.lease === undefined) return next;
  const { lease: _ended, ...rest } = next;
  return rest;
}
