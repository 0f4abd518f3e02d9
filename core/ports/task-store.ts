/**
 * TaskStore: the durable home of tasks, their event logs, push configs and idempotency records.
 * Every method is tenant-scoped through ctx. Implementations: DynamoTaskStore, MemoryTaskStore;
 * both pass test/contract/task-store.contract.ts.
 */
import type { TaskState } from '../a2a/task-state';
import type { TaskPushNotificationConfig } from '../a2a/types';
import type { RequestContext } from '../context';
import type { Lease, StoredEvent, TaskRecord, TaskView } from '../task-record';

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
  /** the records come back trimmed to what this view shows (see trimToView) */
  view?: TaskView;
  /**
   * Byte budget of a page: the page ends before the task whose JSON (in the view) would take the
   * page past it, and nextPageToken continues right after the last task returned. The first task
   * always comes back, even alone over the budget. Records are read in chunks sized to the budget,
   * so one request never holds much more than it. Unset = pageSize alone bounds the page.
   */
  maxBytes?: number;
}

export interface ListTasksPage {
  tasks: TaskRecord[];
  nextPageToken: string;
  totalSize: number;
}

export interface PushDeliveryState {
  /** the cursor: every event up to this seq was delivered (or permanently refused) */
  lastDeliveredSeq: number;
  consecutiveFailures: number;
  /** a reason code, never a credential or a response body */
  lastError?: string;
  /** set after repeated permanent failures: nothing more is sent */
  suspended?: boolean;
  /** a config added to an existing task first receives the task as it is */
  snapshotPending?: boolean;
}

/** Push configs a task may have unless the deployment says otherwise (PUSH_CONFIGS_PER_TASK_MAX). */
export const DEFAULT_MAX_PUSH_CONFIGS_PER_TASK = 10;

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

export interface TaskStore {
  create(ctx: RequestContext, input: CreateTaskInput): Promise<CreateTaskResult>;
  get(ctx: RequestContext, taskId: string): Promise<TaskRecord | undefined>;
  /** Atomically appends events and replaces the snapshot, if the version still matches. */
  commit(ctx: RequestContext, input: CommitInput): Promise<TaskRecord>;
  /** Events with seq > afterSeq, ascending, at most limit. */
  readEvents(ctx: RequestContext, taskId: string, afterSeq: number, limit?: number): Promise<StoredEvent[]>;
  list(ctx: RequestContext, query: ListTasksQuery): Promise<ListTasksPage>;
  /**
   * The task a message created or continued, if that message was seen before; `key` is the
   * idempotency key the create or commit recorded (use-cases/message-identity.ts).
   */
  findByMessageId(ctx: RequestContext, key: string): Promise<string | undefined>;

  /** Takes the lease if none is held or the held one has expired. Returns the task or undefined. */
  acquireLease(ctx: RequestContext, req: LeaseRequest): Promise<TaskRecord | undefined>;
  /** Extends a lease this owner holds; false if it was lost. */
  renewLease(ctx: RequestContext, taskId: string, lease: Lease): Promise<boolean>;
  releaseLease(ctx: RequestContext, taskId: string, owner: string): Promise<void>;
  /** Marks a running task for cancellation; the worker ends it. */
  requestCancel(ctx: RequestContext, taskId: string): Promise<void>;

  /**
   * The reconciler's index (the one system-wide query; every follow-up call is tenant-scoped).
   * Lists SUBMITTED or WORKING tasks that are due, oldest first, at most `limit`: a task is due a
   * grace period (STALE_SUBMITTED_MS) after it was submitted, or when its lease ends. The index
   * may lag a write a little: callers re-read the task before acting.
   */
  findStranded(query: StrandedQuery): Promise<StrandedTaskRef[]>;
  /**
   * How many of the tenant's tasks are SUBMITTED (waiting for a worker), counted up to `limit`.
   * Derived from the tasks (DynamoDB: a sparse GSI), so it never drifts; it may lag a write a little.
   */
  countQueued(ctx: RequestContext, limit: number): Promise<number>;
  /** Moves a SUBMITTED/WORKING task's due time to `until` unless a live lease holds it. */
  deferReconcile(ctx: RequestContext, taskId: string, until: number): Promise<void>;

  /**
   * Adds a config, or replaces one with the same id. Only the owner (`config.owner`) may replace
   * a config: another subject gets PushConfigNotOwnedError. A new id is refused with
   * PushConfigLimitError when the task already has `maxPerTask` configs (inline ones included);
   * the count is checked atomically with the write, so concurrent creates cannot pass it.
   */
  putPushConfig(
    ctx: RequestContext,
    taskId: string,
    config: StoredPushConfig,
    maxPerTask?: number,
  ): Promise<void>;
  getPushConfig(ctx: RequestContext, taskId: string, configId: string): Promise<StoredPushConfig | undefined>;
  listPushConfigs(ctx: RequestContext, taskId: string): Promise<StoredPushConfig[]>;
  /** Idempotent. A config owned by another subject than ctx's is kept: PushConfigNotOwnedError. */
  deletePushConfig(ctx: RequestContext, taskId: string, configId: string): Promise<void>;
  /**
   * Stores `config` (with its new delivery state) if the stored cursor is still `expectedSeq`;
   * false if another dispatcher moved it, or the config is gone (deleted configs stop receiving).
   */
  updatePushDelivery(
    ctx: RequestContext,
    taskId: string,
    config: StoredPushConfig,
    expectedSeq: number,
  ): Promise<boolean>;
  /**
   * Takes a config's dispatch lease (free, expired, or already this owner's) and returns the
   * config as it is now; undefined if another dispatcher holds it or the config is gone. One
   * dispatcher per config at a time keeps deliveries in order and free of races.
   */
  acquirePushLease(
    ctx: RequestContext,
    taskId: string,
    configId: string,
    lease: Lease,
    now: number,
  ): Promise<StoredPushConfig | undefined>;
  releasePushLease(ctx: RequestContext, taskId: string, configId: string, owner: string): Promise<void>;
}
