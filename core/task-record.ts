/**
 * The stored task: the public A2A Task plus what the gateway needs to run it.
 * `version` is the seq of the last event in the task's log (gapless, starting at 1).
 */
import { canTransition, isTerminal, TaskState } from './a2a/task-state';
import type { Artifact, Message, Task, TaskStatus } from './a2a/types';

export type ProtocolVersion = '1.0' | '0.3';

export interface Lease {
  owner: string;
  /** epoch milliseconds */
  until: number;
}

/**
 * How far the worker's keyed events got (internal; never part of the public Task). Written in the
 * same commit as the events it counts, so a re-run that produces the same keys skips exactly the
 * ones already in the log. A key is (step, source, ordinal): `step` is a LangGraph super-step (or
 * the turn for plain agents), `source` names the producer, `ordinal` counts its events.
 */
export interface RunCursor {
  /** messageId of the user message the run answers */
  turn: string;
  step: number;
  /** events appended for `step`, per source */
  counts: Record<string, number>;
  /**
   * The graph interrupt the task last asked the user about (INPUT_REQUIRED): its id, the turn
   * that asked, and how many times that id was asked (a node may ask again).
   */
  interrupt?: { id: string; turn: string; asks: number };
}

/**
 * Who sent the task's latest turn, with the scopes of that call: the rights the task's own
 * delegations (the router's sub-tasks) run with, since the worker acts later and elsewhere.
 */
export interface Submitter {
  subject: string;
  scopes: string[];
}

export interface TaskRecord {
  tenant: string;
  id: string;
  contextId: string;
  agentId: string;
  /** subject of the principal that created the task */
  owner: string;
  status: TaskStatus;
  artifacts: Artifact[];
  history: Message[];
  metadata?: Record<string, unknown>;
  version: number;
  createdAt: string;
  /** The agent answered with a direct Message instead of a task. */
  directReply?: Message;
  lease?: Lease;
  cancelRequested?: boolean;
  /** epoch seconds after which the record is gone (TTL); set when the task ends */
  expiresAt?: number;
  /** W3C traceparent of the request that created the task */
  traceparent?: string;
  /** the protocol the task was created over, for push payload shapes */
  protocol: ProtocolVersion;
  /**
   * Some push config was registered on this task (never unset). A control field like `lease`:
   * commits do not write it, and a commit made from a read without it fails on a task that has
   * it, so a config added during a run is never missed by the push trigger.
   */
  hasPush?: boolean;
  /** the worker's event cursor (see RunCursor) */
  progress?: RunCursor;
  /** the principal of the latest turn (internal; never part of the public Task) */
  submitter?: Submitter;
}

/** A task a worker may claim for a work message of this seq (LeaseRequest.runnableFrom). */
export const isRunnableFrom = (task: Pick<TaskRecord, 'status' | 'version'>, seq: number): boolean =>
  (task.status.state === TaskState.Submitted || task.status.state === TaskState.Working) &&
  task.version >= seq;

/** The submitter of a call: its subject and scopes (the tenant is the task's). */
export const submitterOf = (p: { subject: string; scopes: readonly string[] }): Submitter => ({
  subject: p.subject,
  scopes: [...p.scopes],
});

/** One entry of a task's event log. Each maps to exactly one StreamResponse. */
export type TaskEvent =
  | { kind: 'status'; status: TaskStatus; history?: Message[] }
  | { kind: 'artifact'; artifact: Artifact; append?: boolean; lastChunk?: boolean }
  | { kind: 'message'; message: Message };

export interface StoredEvent {
  seq: number;
  /** ISO 8601 time of the append */
  at: string;
  event: TaskEvent;
}

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  static readonly code = 'ERR_ILLEGAL_TRANSITION';
  readonly code = IllegalTransitionError.code;
}

/** Applies one event to a task record (pure). Throws IllegalTransitionError on a forbidden move. */
export function applyEvent(task: TaskRecord, event: TaskEvent): TaskRecord {
  switch (event.kind) {
    case 'status': {
      const from = task.status.state;
      if (!canTransition(from, event.status.state)) {
        throw new IllegalTransitionError(`Task ${task.id}: ${from} -> ${event.status.state} is not allowed`);
      }
      const history = [...task.history, ...(event.history ?? [])];
      if (event.status.message) history.push(event.status.message);
      return { ...task, status: event.status, history };
    }
    case 'artifact':
      return { ...task, artifacts: mergeArtifact(task.artifacts, event.artifact, event.append === true) };
    case 'message': {
      if (isTerminal(task.status.state)) throw new IllegalTransitionError(`Task ${task.id} is terminal`);
      return {
        ...task,
        directReply: event.message,
        history: [...task.history, event.message],
        status: {
          state: TaskState.Completed,
          ...(task.status.timestamp === undefined ? {} : { timestamp: task.status.timestamp }),
        },
      };
    }
  }
}

function mergeArtifact(list: Artifact[], artifact: Artifact, append: boolean): Artifact[] {
  const i = list.findIndex((a) => a.artifactId === artifact.artifactId);
  if (i < 0) return [...list, artifact];
  const prev = list[i] as Artifact;
  const next = append ? { ...prev, parts: [...prev.parts, ...artifact.parts] } : artifact;
  return list.map((a, j) => (j === i ? next : a));
}

/** Applies events in order and stamps them with the next sequence numbers. */
export function applyEvents(
  task: TaskRecord,
  events: readonly TaskEvent[],
  at: string,
): { next: TaskRecord; stored: StoredEvent[] } {
  let next = task;
  const stored: StoredEvent[] = [];
  for (const event of events) {
    next = applyEvent(next, event);
    stored.push({ seq: task.version + stored.length + 1, at, event });
  }
  return { next: { ...next, version: task.version + stored.length }, stored };
}

export interface TaskView {
  historyLength?: number;
  includeArtifacts?: boolean;
}

/** The record with only what the view shows: toTask(trimToView(r, v), v) equals toTask(r, v). */
export function trimToView(record: TaskRecord, view: TaskView): TaskRecord {
  const n = view.historyLength;
  const history = n === undefined ? record.history : n > 0 ? record.history.slice(-n) : [];
  const artifacts = view.includeArtifacts === false ? [] : record.artifacts;
  return history === record.history && artifacts === record.artifacts
    ? record
    : { ...record, history, artifacts };
}

/** The public Task with historyLength rules (unset = all, 0 = no key, n = the n newest). */
export function toTask(record: TaskRecord, view: TaskView = {}): Task {
  const task: Task = { id: record.id, contextId: record.contextId, status: record.status };
  if (view.includeArtifacts !== false && record.artifacts.length > 0) task.artifacts = record.artifacts;
  const n = view.historyLength;
  if (n === undefined) {
    if (record.history.length > 0) task.history = record.history;
  } else if (n > 0 && record.history.length > 0) {
    task.history = record.history.slice(-n);
  }
  const metadata = withoutReservedMetadata(record.metadata);
  // metadata that held only reserved keys is left out rather than shown empty
  if (metadata !== undefined && (metadata === record.metadata || Object.keys(metadata).length > 0))
    task.metadata = metadata;
  return task;
}

/**
 * Task metadata keys under this prefix are the gateway's own (e.g. the remote binding): written by
 * the gateway only, never accepted from a client and never shown to one. toTask is where a stored
 * task becomes the public one (GetTask, ListTasks, SendMessage, CancelTask, stream snapshots, push
 * bodies and their 0.3 translations all go through it), so the filter lives here, once.
 */
export const RESERVED_METADATA_PREFIX = 'a2a-gateway/';

/** The metadata without the gateway's reserved keys (the same object when it has none). */
export function withoutReservedMetadata(
  metadata: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (metadata === undefined) return undefined;
  const keys = Object.keys(metadata);
  if (!keys.some((k) => k.startsWith(RESERVED_METADATA_PREFIX))) return metadata;
  return Object.fromEntries(
    keys.filter((k) => !k.startsWith(RESERVED_METADATA_PREFIX)).map((k) => [k, metadata[k]]),
  );
}
