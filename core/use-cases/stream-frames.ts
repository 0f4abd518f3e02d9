/**
 * What a task stream carries: one frame per StreamResponse, each tied to the seq of the log entry
 * it comes from (the SSE `id`), so a reconnect with Last-Event-ID resumes exactly after it.
 *
 * Mapping from the event log:
 * - status   -> `statusUpdate` (user messages recorded with a status event are history: they are
 *               not streamed; GetTask shows them);
 * - artifact -> `artifactUpdate` (append/lastChunk kept);
 * - message  -> a direct agent reply recorded after a task snapshot was sent: `{message}`, then a
 *               `statusUpdate` COMPLETED (the state the reply put the task in) that ends the stream.
 *               Both frames carry the seq of the message event.
 */
import { isInterrupted, isTerminal, TaskState } from '../a2a/task-state';
import type { StreamResponse, Task, TaskArtifactUpdateEvent } from '../a2a/types';
import type { StoredEvent, TaskRecord } from '../task-record';
import { toTask } from '../task-record';

export interface StreamFrame {
  /** seq of the log entry this frame comes from: the SSE event id */
  seq: number;
  response: StreamResponse;
  /** the stream closes after this frame */
  final: boolean;
}

/**
 * A stream ends at a terminal state and at an interrupted one (INPUT_REQUIRED, AUTH_REQUIRED):
 * the client acts next, and its reply opens a new stream.
 */
export const closesStream = (state: TaskState): boolean => isTerminal(state) || isInterrupted(state);

export interface TaskIds {
  id: string;
  contextId: string;
}

/** The frames one log entry becomes, in order. */
export function framesOf(task: TaskIds, stored: StoredEvent): StreamFrame[] {
  const { seq, event } = stored;
  const ids = { taskId: task.id, contextId: task.contextId };
  switch (event.kind) {
    case 'status':
      return [
        {
          seq,
          response: { statusUpdate: { ...ids, status: event.status } },
          final: closesStream(event.status.state),
        },
      ];
    case 'artifact': {
      const update: TaskArtifactUpdateEvent = { ...ids, artifact: event.artifact };
      if (event.append !== undefined) update.append = event.append;
      if (event.lastChunk !== undefined) update.lastChunk = event.lastChunk;
      return [{ seq, response: { artifactUpdate: update }, final: false }];
    }
    case 'message':
      return [
        { seq, response: { message: event.message }, final: false },
        {
          seq,
          response: {
            statusUpdate: { ...ids, status: { state: TaskState.Completed, timestamp: stored.at } },
          },
          final: true,
        },
      ];
  }
}

/** The first frame of a stream: the task as it is now (or its direct reply, which ends it). */
export function snapshotFrame(record: TaskRecord, historyLength?: number): StreamFrame {
  if (record.directReply)
    return { seq: record.version, response: { message: record.directReply }, final: true };
  const task: Task = toTask(record, historyLength === undefined ? {} : { historyLength });
  return { seq: record.version, response: { task }, final: closesStream(record.status.state) };
}

/**
 * True for the first log entry that shows how the agent answers. Bare SUBMITTED/WORKING markers
 * (the worker's claim, an agent's "working") say nothing yet; a direct reply, an artifact, a
 * status message or any other state does.
 */
export function revealsAnswer(stored: StoredEvent): boolean {
  const { event } = stored;
  if (event.kind !== 'status') return true;
  const { state, message } = event.status;
  return message !== undefined || (state !== TaskState.Submitted && state !== TaskState.Working);
}
