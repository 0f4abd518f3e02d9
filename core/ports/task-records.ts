/**
 * The task store's roles for tasks and their event logs: reading, writing, listing, and the
 * idempotency index of the messages that created or continued them. Every method is
 * tenant-scoped through ctx. TaskStore (task-store.ts) is all the roles together.
 */
import type { TaskState } from '../a2a/task-state';
import type { RequestContext } from '../context';
import type { StoredEvent, TaskRecord, TaskView } from '../task-record';
import type { StoredPushConfig } from './push-config-store';

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
  /**
   * Fail with VersionConflictError if a cancel was requested (cancelRequested is set): a run
   * that stops for input must not close its turn past a cancel it has not read.
   */
  unlessCancelRequested?: boolean;
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

/** A task and its event log, as stored. */
export interface TaskReader {
  get(ctx: RequestContext, taskId: string): Promise<TaskRecord | undefined>;
  /** Events with seq > afterSeq, ascending, at most limit. */
  readEvents(ctx: RequestContext, taskId: string, afterSeq: number, limit?: number): Promise<StoredEvent[]>;
}

/** New tasks and versioned commits: the only writes to the event log. */
export interface TaskWriter {
  create(ctx: RequestContext, input: CreateTaskInput): Promise<CreateTaskResult>;
  /**
   * Atomically appends events and replaces the snapshot, if the version still matches. Never
   * writes the lease or the cancel flag, except that a commit to a terminal state ends the lease
   * (the returned record has none), so the run that ended the task has nothing to release.
   */
  commit(ctx: RequestContext, input: CommitInput): Promise<TaskRecord>;
}

/** The tasks of an agent endpoint, page by page (ListTasks). */
export interface TaskLister {
  list(ctx: RequestContext, query: ListTasksQuery): Promise<ListTasksPage>;
}

/** Which task a message created or continued: a resent message finds its first task. */
export interface IdempotencyIndex {
  /**
   * The task a message created or continued, if that message was seen before; `key` is the
   * idempotency key the create or commit recorded (use-cases/message-identity.ts).
   */
  findByMessageId(ctx: RequestContext, key: string): Promise<string | undefined>;
}
