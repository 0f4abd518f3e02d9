/** What the gateway's use cases need. Wired once per process (gateway/wiring). */
import type { AgentCatalog } from '../agent-catalog';
import type { Clock, IdGenerator } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { PushConfigStore } from '../ports/push-config-store';
import type { PushTrigger } from '../ports/push-trigger';
import type { CancelFlags, QueuedTaskCount } from '../ports/run-control';
import type { IdempotencyIndex, TaskLister, TaskReader, TaskWriter } from '../ports/task-records';
import type { TaskWatcher } from '../ports/task-watcher';
import type { WebhookUrlPolicy } from '../ports/webhook-url-policy';
import type { QueueSender } from '../ports/work-queue';
import type { ConcurrencyGate } from './concurrency-gate';

export interface UseCaseSettings {
  /** cap on a blocking SendMessage, below API Gateway's 29 s */
  blockingTimeoutMs: number;
  /** how long CancelTask waits for a running worker to acknowledge */
  cancelWaitMs: number;
  /** finished tasks expire after this many seconds */
  retentionSeconds: number;
  /** whether push notification configs are served (capabilities.pushNotifications) */
  pushNotifications: boolean;
  /** push configs a task may have, inline ones included (DEFAULT_MAX_PUSH_CONFIGS_PER_TASK) */
  maxPushConfigsPerTask?: number;
  /**
   * A tenant with this many SUBMITTED tasks (waiting for a worker) gets TenantQueueFullError on a
   * new task or a follow-up; absent = no cap (TENANT_MAX_QUEUED_TASKS).
   */
  maxQueuedTasksPerTenant?: number;
  /** byte budget of a ListTasks page (DEFAULT_LIST_PAGE_BYTES when absent) */
  listPageMaxBytes?: number;
}

/**
 * The task store roles the gateway's use cases use: tasks and their logs, listing, idempotency,
 * the cancel flag, the queued count and push configs; never a worker's lease, the reconciler's
 * index or a dispatcher's delivery state.
 */
export type UseCaseStore = TaskReader &
  TaskWriter &
  TaskLister &
  IdempotencyIndex &
  CancelFlags &
  QueuedTaskCount &
  PushConfigStore;

export interface UseCaseDeps {
  store: UseCaseStore;
  queue: QueueSender;
  watcher: TaskWatcher;
  clock: Clock;
  ids: IdGenerator;
  agents: AgentCatalog;
  webhookUrls: WebhookUrlPolicy;
  logger: Logger;
  settings: UseCaseSettings;
  /** tells the push dispatcher about new configs (commits are triggered by the store wrapper) */
  push?: PushTrigger;
  /** bounds the ListTasks reads this process runs at once (unbounded when absent) */
  listGate?: ConcurrencyGate;
}

/** Which agent endpoint a request arrived on. Tasks belong to one agent. */
export interface AgentScope {
  agentId: string;
}
