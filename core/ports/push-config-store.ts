/**
 * The task store's roles for push notifications: the configs a task has (CRUD, owner and cap
 * checks), each config's delivery cursor, and the dispatch lease that keeps one dispatcher per
 * config, and the dispatcher's one read of a task. TaskStore (task-store.ts) is all the roles
 * together.
 */
import type { TaskPushNotificationConfig } from '../a2a/types';
import type { RequestContext } from '../context';
import type { Lease, StoredEvent, TaskRecord } from '../task-record';

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

/** A task's push notification configs. */
export interface PushConfigStore {
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
}

/** Where each config's deliveries stand: the cursor moves only from the value the caller read. */
export interface PushDeliveryCursors {
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
   * Gives a live config the expiry (epoch seconds) of its ended task, so it goes with the task.
   * A dispatcher stamps the configs it releases (releasePushLease's `expiresAt`) and, with this,
   * the suspended ones it does not take: the ending commit does not touch them (decision 76).
   */
  expirePushConfig(ctx: RequestContext, taskId: string, configId: string, expiresAt: number): Promise<void>;
}

/** One dispatcher per config at a time keeps deliveries in order and free of races. */
export interface PushLeases {
  /**
   * Takes a config's dispatch lease (free, expired, or already this owner's) and returns the
   * config as it is now; undefined if another dispatcher holds it or the config is gone. A
   * caller turned away by a holder leaves a knock that the holder's release reports.
   */
  acquirePushLease(
    ctx: RequestContext,
    taskId: string,
    configId: string,
    lease: Lease,
    now: number,
  ): Promise<StoredPushConfig | undefined>;
  /**
   * Ends `owner`'s hold on the config. With `delivery`, the same write stores the run's last
   * cursor move, as updatePushDelivery would: both happen, or neither. Released if the lease was
   * `owner`'s (and, with `delivery`, the config is live and its cursor still `expectedSeq`):
   * 'knocked' when another dispatcher was turned away while `owner` held it (it may have come
   * for events the holder's read did not see), else 'released'; false if nothing was written.
   * With `expiresAt` (the ended task's, as the holder read it), the same write stamps the config
   * with it, as expirePushConfig would.
   */
  releasePushLease(
    ctx: RequestContext,
    taskId: string,
    configId: string,
    owner: string,
    delivery?: PushDeliveryMove,
    expiresAt?: number,
  ): Promise<PushRelease>;
}

/** What releasing a dispatch lease did (see PushLeases.releasePushLease). */
export type PushRelease = false | 'released' | 'knocked';

/** A cursor move: `config` with its new delivery state, from the cursor the run started at. */
export interface PushDeliveryMove {
  config: StoredPushConfig;
  expectedSeq: number;
}

/** What a push dispatch needs of a task, from one read of its partition. */
export interface PushDispatchRead {
  /** the task as the read found it */
  task: TaskRecord;
  /** its live configs with their delivery state, ordered by config id */
  configs: StoredPushConfig[];
  /**
   * The log after the read's `afterSeq`, ascending, at most its `limit` events (none without an
   * `afterSeq`). Fewer than `limit` means the log had no more when it was read.
   */
  events: StoredEvent[];
}

/**
 * The dispatcher's read: the task, its configs and the new events of its log together (in
 * DynamoDB one Query: a task's partition sorts `EVT#<seq>` < `PUSH#<id>` < `TASK`).
 */
export interface PushDispatchReads {
  /**
   * Undefined if the task is absent (or expired). `afterSeq` is where the caller expects the
   * configs' cursors to be (a trigger's hint); a config behind it reads its events with
   * readEvents. `limit` bounds the events read, so a long log is read in pages.
   */
  readForDispatch(
    ctx: RequestContext,
    taskId: string,
    afterSeq: number | undefined,
    limit: number,
  ): Promise<PushDispatchRead | undefined>;
}
