/**
 * What a remote agent answered, checked against the core schemas before anything of it reaches
 * the task log: the SDK's decoded objects are turned back into ProtoJSON (its `toJSON`), then
 * validated like client input (TypeBox schemas plus the one-content-per-part rule). Anything else
 * is InvalidAgentResponseError, with a description written here (never the remote's own text).
 */
import {
  type Message as SdkMessage,
  Message as SdkMessageCodec,
  type StreamResponse as SdkStreamResponse,
  StreamResponse as SdkStreamResponseCodec,
  type Task as SdkTask,
  Task as SdkTaskCodec,
} from '@a2a-js/sdk';
import {
  MessageSchema,
  TaskArtifactUpdateEventSchema,
  TaskSchema,
  TaskStatusUpdateEventSchema,
} from '../../core/a2a/schemas';
import type { Message, Part, StreamResponse, Task } from '../../core/a2a/types';
import { InvalidAgentResponseError, InvalidParamsError } from '../../core/errors';
import type { RemoteSendResult } from '../../core/ports/remote-agent-client';
import { partViolations } from '../../core/validation/parts';
import { compileValidator } from '../../core/validation/validator';

const task = compileValidator(TaskSchema);
const message = compileValidator(MessageSchema);
const statusUpdate = compileValidator(TaskStatusUpdateEventSchema);
const artifactUpdate = compileValidator(TaskArtifactUpdateEventSchema);

export function remoteTask(value: SdkTask): Task {
  const t = parse('task', () => task.parse(SdkTaskCodec.toJSON(value)));
  checkParts(t.status.message?.parts, 'task.status.message');
  for (const [i, a] of (t.artifacts ?? []).entries()) checkParts(a.parts, `task.artifacts[${i}]`);
  for (const [i, m] of (t.history ?? []).entries()) checkParts(m.parts, `task.history[${i}]`);
  return t;
}

export function remoteMessage(value: SdkMessage, field = 'message'): Message {
  const m = parse(field, () => message.parse(SdkMessageCodec.toJSON(value)));
  checkParts(m.parts, field);
  return m;
}

/** SendMessage's result: the SDK hands over a Message or a Task. */
export function remoteSendResult(value: SdkMessage | SdkTask): RemoteSendResult {
  return 'messageId' in value ? { message: remoteMessage(value) } : { task: remoteTask(value) };
}

export function remoteStreamResponse(value: SdkStreamResponse): StreamResponse {
  const payload = value.payload;
  switch (payload?.$case) {
    case 'task':
      return { task: remoteTask(payload.value) };
    case 'message':
      return { message: remoteMessage(payload.value) };
    case 'statusUpdate': {
      const json = (SdkStreamResponseCodec.toJSON(value) as { statusUpdate?: unknown }).statusUpdate;
      const e = parse('statusUpdate', () => statusUpdate.parse(json));
      checkParts(e.status.message?.parts, 'statusUpdate.status.message');
      return { statusUpdate: e };
    }
    case 'artifactUpdate': {
      const json = (SdkStreamResponseCodec.toJSON(value) as { artifactUpdate?: unknown }).artifactUpdate;
      const e = parse('artifactUpdate', () => artifactUpdate.parse(json));
      checkParts(e.artifact.parts, 'artifactUpdate.artifact');
      return { artifactUpdate: e };
    }
    case undefined:
      throw new InvalidAgentResponseError(
        'sent a stream event that is none of task, message, statusUpdate, artifactUpdate',
      );
  }
}

function parse<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof InvalidParamsError) {
      throw new InvalidAgentResponseError(
        `answered with an invalid ${what} (${err.message.replace(/^Invalid /, '')})`,
      );
    }
    throw err;
  }
}

function checkParts(parts: readonly Part[] | undefined, field: string): void {
  const first = (parts ?? []).flatMap((p, i) => partViolations(p, `${field}.parts[${i}]`))[0];
  if (first)
    throw new InvalidAgentResponseError(`answered with an invalid ${first.field}: ${first.description}`);
}
