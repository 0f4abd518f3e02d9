/**
 * SendStreamingMessage: the same SendMessage (validation, idempotency on messageId, continuing an
 * interrupted task), never blocking, answered as a stream of the task's event log. A new task's
 * stream starts with the created task, or is one direct Message when the agent answers with one.
 * A retried messageId streams the task it created from where it is now (or, with Last-Event-ID,
 * from after that id).
 */
import type { SendMessageRequest } from '../a2a/types';
import type { RequestContext } from '../context';
import type { ProtocolVersion } from '../task-record';
import type { AgentScope, UseCaseDeps } from './deps';
import { sendMessage } from './send-message';
import {
  newTaskFrames,
  resumeAfter,
  type StreamOptions,
  snapshotThenTail,
  type TaskStream,
  tailFrames,
} from './task-stream';

export async function sendStreamingMessage(
  deps: UseCaseDeps,
  ctx: RequestContext,
  scope: AgentScope,
  req: SendMessageRequest,
  o: StreamOptions & { protocol: ProtocolVersion },
): Promise<TaskStream> {
  const { record } = await sendMessage(deps, ctx, scope, req, {
    protocol: o.protocol,
    returnImmediately: true,
  });
  const after = resumeAfter(record, o.afterSeq);
  const view = {
    ...o,
    ...(req.configuration?.historyLength === undefined
      ? {}
      : { historyLength: req.configuration.historyLength }),
  };
  const fresh = record.version === 1 && !record.directReply;
  return {
    taskId: record.id,
    frames: (signal) =>
      after !== undefined
        ? tailFrames(deps, ctx, record, after, signal, o)
        : fresh
          ? newTaskFrames(deps, ctx, record, signal, view)
          : snapshotThenTail(deps, ctx, record, signal, view),
  };
}
