/**
 * SubscribeToTask: the current Task first, then its status and artifact updates until the task
 * is terminal or interrupted. With Last-Event-ID (StreamOptions.afterSeq) a reconnect gets no
 * snapshot: exactly the log entries after that id, then live ones.
 */
import { isTerminal } from '../a2a/task-state';
import type { SubscribeToTaskRequest } from '../a2a/types';
import type { RequestContext } from '../context';
import { UnsupportedOperationError } from '../errors';
import type { AgentScope } from './deps';
import { loadTask } from './load-task';
import {
  resumeAfter,
  type StreamDeps,
  type StreamOptions,
  snapshotThenTail,
  type TaskStream,
  tailFrames,
} from './task-stream';

export async function subscribeToTask(
  deps: StreamDeps,
  ctx: RequestContext,
  scope: AgentScope,
  req: SubscribeToTaskRequest,
  o: StreamOptions = {},
): Promise<TaskStream> {
  const record = await loadTask(deps.store, ctx, scope, req.id);
  const after = resumeAfter(record, o.afterSeq);
  if (after === undefined && isTerminal(record.status.state)) {
    throw new UnsupportedOperationError(
      `Task ${record.id} is ${record.status.state}; a terminal task has no updates to subscribe to`,
    );
  }
  return {
    taskId: record.id,
    frames: (signal) =>
      after === undefined
        ? snapshotThenTail(deps, ctx, record, signal, o)
        : tailFrames(deps, ctx, record, after, signal, o),
  };
}
