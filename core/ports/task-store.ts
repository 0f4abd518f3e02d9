/**
 * TaskStore: the durable home of tasks, their event logs, push configs and idempotency records,
 * as the intersection of its roles. Consumers ask for the roles they use (TaskReader, RunLeases,
 * PushLeases, …); adapters implement them all: DynamoTaskStore, MemoryTaskStore, both checked by
 * test/contract/task-store.contract.ts, whose files follow the same seams.
 *
 * - task-records.ts: TaskReader, TaskWriter, TaskLister, IdempotencyIndex
 * - run-control.ts: RunLeases, CancelFlags, ReconcileIndex, QueuedTaskCount
 * - push-config-store.ts: PushConfigStore, PushDeliveryCursors, PushLeases, PushDispatchReads
 */
import type {
  PushConfigStore,
  PushDeliveryCursors,
  PushDispatchReads,
  PushLeases,
} from './push-config-store';
import type { CancelFlags, QueuedTaskCount, ReconcileIndex, RunLeases } from './run-control';
import type { IdempotencyIndex, TaskLister, TaskReader, TaskWriter } from './task-records';

export {
  DEFAULT_MAX_PUSH_CONFIGS_PER_TASK,
  type PushConfigStore,
  type PushDeliveryCursors,
  type PushDeliveryState,
  type PushDispatchRead,
  type PushDispatchReads,
  type PushLeases,
  type StoredPushConfig,
} from './push-config-store';
export type {
  CancelFlags,
  LeaseRequest,
  QueuedTaskCount,
  ReconcileIndex,
  RunLeases,
  StrandedQuery,
  StrandedTaskRef,
} from './run-control';
export type {
  CommitInput,
  CreateTaskInput,
  CreateTaskResult,
  IdempotencyIndex,
  ListTasksPage,
  ListTasksQuery,
  TaskLister,
  TaskReader,
  TaskWriter,
} from './task-records';

export type TaskStore = TaskReader &
  TaskWriter &
  TaskLister &
  IdempotencyIndex &
  RunLeases &
  CancelFlags &
  ReconcileIndex &
  QueuedTaskCount &
  PushConfigStore &
  PushDeliveryCursors &
  PushLeases &
  PushDispatchReads;
