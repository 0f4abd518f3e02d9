/**
 * TaskStore: the durable home of tasks, their event logs, push configs and idempotency records.
 * Every method is tenant-scoped through ctx. Implementations: DynamoTaskStore, MemoryTaskStore;
 * both pass test/contract/task-store.contract.ts.
 */
import type { TaskState } from '../a2a/task-state';
import type { TaskPushNotificationConfig } from '../a2a/types';
import type { RequestContext } from '../context';
import type { Lease, StoredEvent, TaskRecord } from '../task-record';

export interface CreateTaskInput {
  task: TaskRecord;
  events: StoredEvent[];
  /** the messageId that created the task: a second create with it returns the first task */
  idempotencyKey: string;
  pushConfigs?: StoredPushConfig[];
}

export type CreateTaskResult = { created: true; task: TaskRecord } | { created: false; task: TaskRecord };

export interface CommitInput {
  taskId: string;
  /** the version the caller read; the commit fails with VersionConflictError otherwise */
  expectedVersion: number;
  next: TaskRecord;
  events: StoredEvent[];
  /** idempotency key of the message this commit records (follow-ups), if any */
  idempotencyKey?: string;
}

export interface ListTasksQuery {
  /** tasks belong to the agent endpoint they were sent to */
  agentId: string;
  contextId?: string;
  status?: TaskState;
  /** ISO timestamp: keep tasks whose status timestamp is >= this */
  statusTimestampAfter?: string;
  pageSize: number;
  pageToken?: string;
}

export interface ListTasksPage {
  tasks: TaskRecord[];
  nextPageToken: string;
  totalSize: number;
}

export interface PushDeliveryState {
  lastDeliveredSeq: number;
  consecutiveFailures: number;
  lastError?: string;
  suspended?: boolean;
}

export interface StoredPushConfig {
  config: TaskPushNotificationConfig;
  /** subject that registered it: only the owner sees credentials */
  owner: string;
  protocol: '1.0' | '0.3';
  createdAt: string;
  delivery?: PushDeliveryState;
}

export interface LeaseRequest {
  taskId: string;
  lease: Lease;
  /** epoch ms "now": an existing lease that ends before this can be taken over */
  now: number;
}

export interface TaskStore {
  create(ctx: RequestContext, input: CreateTaskInput): Promise<CreateTaskResult>;
  get(ctx: RequestContext, taskId: string): Promise<TaskRecord | undefined>;
  /** Atomically appends events and replaces the snapshot, if the version still matches. */
  commit(ctx: RequestContext, input: CommitInput): Promise<TaskRecord>;
  /** Events with seq > afterSeq, ascending, at most limit. */
  readEvents(ctx: RequestContext, taskId: string, afterSeq: number, limit?: number): Promise<StoredEvent[]>;
  list(ctx: RequestContext, query: ListTasksQuery): Promise<ListTasksPage>;
  /** The task a messageId created or continued, if that message was seen before. */
  findByMessageId(ctx: RequestContext, messageId: string): Promise<string | undefined>;

  /** Takes the lease if none is held or the held one has expired. Returns the task or undefined. */
  acquireLease(ctx: RequestContext, req: LeaseRequest): Promise<TaskRecord | undefined>;
  /** Extends a lease this owner holds; false if it was lost. */
  renewLease(ctx: RequestContext, taskId: string, lease: Lease): Promise<boolean>;
  releaseLease(ctx: RequestContext, taskId: string, owner: string): Promise<void>;
  /** Marks a running task for cancellation; the worker ends it. */
  requestCancel(ctx: RequestContext, taskId: string): Promise<void>;

  putPushConfig(ctx: RequestContext, taskId: string, config: StoredPushConfig): Promise<void>;
  getPushConfig(ctx: RequestContext, taskId: string, configId: string): Promise<StoredPushConfig | undefined>;
  listPushConfigs(ctx: RequestContext, taskId: string): Promise<StoredPushConfig[]>;
  /** Idempotent. */
  deletePushConfig(ctx: RequestContext, taskId: string, configId: string): Promise<void>;
}
