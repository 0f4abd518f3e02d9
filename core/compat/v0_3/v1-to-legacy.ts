/**
 * Outbound v1.0 -> 0.3: the shapes a 0.3 client reads, with `kind` discriminators, lowercase
 * states and roles, FilePart/DataPart, nested push configs, and `final` on status events.
 * Lossy where 0.3 has no field: a text or data part's mediaType/filename is dropped.
 */
import { LEGACY_STATE } from '../../a2a/task-state';
import type {
  Artifact,
  Message,
  Part,
  Task,
  TaskArtifactUpdateEvent,
  TaskPushNotificationConfig,
  TaskStatus,
  TaskStatusUpdateEvent,
} from '../../a2a/types';
import type { StreamFrame } from '../../use-cases/stream-frames';
import { DATA_PART_COMPAT_FLAG } from './legacy-to-v1';

type Meta = Record<string, unknown>;

export type LegacyPart =
  | { kind: 'text'; text: string; metadata?: Meta }
  | {
      kind: 'file';
      file: { bytes?: string; uri?: string; mimeType?: string; name?: string };
      metadata?: Meta;
    }
  | { kind: 'data'; data: Meta; metadata?: Meta };

export interface LegacyMessage {
  kind: 'message';
  messageId: string;
  role: 'user' | 'agent';
  parts: LegacyPart[];
  contextId?: string;
  taskId?: string;
  metadata?: Meta;
  extensions?: string[];
  referenceTaskIds?: string[];
}

export interface LegacyTaskStatus {
  state: string;
  message?: LegacyMessage;
  timestamp?: string;
}

export interface LegacyArtifact {
  artifactId: string;
  name?: string;
  description?: string;
  parts: LegacyPart[];
  metadata?: Meta;
  extensions?: string[];
}

export interface LegacyTask {
  kind: 'task';
  id: string;
  contextId: string;
  status: LegacyTaskStatus;
  artifacts?: LegacyArtifact[];
  history?: LegacyMessage[];
  metadata?: Meta;
}

export interface LegacyStatusUpdate {
  kind: 'status-update';
  taskId: string;
  contextId: string;
  status: LegacyTaskStatus;
  final: boolean;
  metadata?: Meta;
}

export interface LegacyArtifactUpdate {
  kind: 'artifact-update';
  taskId: string;
  contextId: string;
  artifact: LegacyArtifact;
  append?: boolean;
  lastChunk?: boolean;
  metadata?: Meta;
}

export interface LegacyPushConfig {
  id?: string;
  url: string;
  token?: string;
  authentication?: { schemes: string[]; credentials?: string };
}

export interface LegacyTaskPushConfig {
  taskId: string;
  pushNotificationConfig: LegacyPushConfig;
}

const isPlainObject = (v: unknown): v is Meta => typeof v === 'object' && v !== null && !Array.isArray(v);

export function toLegacyPart(part: Part): LegacyPart {
  const meta = part.metadata === undefined ? {} : { metadata: part.metadata };
  if (part.text !== undefined) return { kind: 'text', text: part.text, ...meta };
  if (part.raw !== undefined || part.url !== undefined) {
    const file: { bytes?: string; uri?: string; mimeType?: string; name?: string } =
      part.raw !== undefined ? { bytes: part.raw } : { uri: part.url as string };
    if (part.mediaType !== undefined) file.mimeType = part.mediaType;
    if (part.filename !== undefined) file.name = part.filename;
    return { kind: 'file', file, ...meta };
  }
  if (isPlainObject(part.data)) return { kind: 'data', data: part.data, ...meta };
  // 0.3 data is an object: other JSON values travel wrapped, flagged as the official SDK does.
  return {
    kind: 'data',
    data: { value: part.data ?? null },
    metadata: { ...part.metadata, [DATA_PART_COMPAT_FLAG]: true },
  };
}

export function toLegacyMessage(m: Message): LegacyMessage {
  const out: LegacyMessage = {
    kind: 'message',
    messageId: m.messageId,
    role: m.role === 'ROLE_USER' ? 'user' : 'agent',
    parts: m.parts.map(toLegacyPart),
  };
  if (m.contextId !== undefined) out.contextId = m.contextId;
  if (m.taskId !== undefined) out.taskId = m.taskId;
  if (m.metadata !== undefined) out.metadata = m.metadata;
  if (m.extensions !== undefined) out.extensions = m.extensions;
  if (m.referenceTaskIds !== undefined) out.referenceTaskIds = m.referenceTaskIds;
  return out;
}

export function toLegacyStatus(s: TaskStatus | Task['status']): LegacyTaskStatus {
  const out: LegacyTaskStatus = { state: LEGACY_STATE[s.state] };
  if (s.message) out.message = toLegacyMessage(s.message);
  if (s.timestamp !== undefined) out.timestamp = s.timestamp;
  return out;
}

export function toLegacyArtifact(a: Artifact): LegacyArtifact {
  const out: LegacyArtifact = { artifactId: a.artifactId, parts: a.parts.map(toLegacyPart) };
  if (a.name !== undefined) out.name = a.name;
  if (a.description !== undefined) out.description = a.description;
  if (a.metadata !== undefined) out.metadata = a.metadata;
  if (a.extensions !== undefined) out.extensions = a.extensions;
  return out;
}

export function toLegacyTask(t: Task): LegacyTask {
  const out: LegacyTask = {
    kind: 'task',
    id: t.id,
    contextId: t.contextId,
    status: toLegacyStatus(t.status),
  };
  if (t.artifacts !== undefined) out.artifacts = t.artifacts.map(toLegacyArtifact);
  if (t.history !== undefined) out.history = t.history.map(toLegacyMessage);
  if (t.metadata !== undefined) out.metadata = t.metadata;
  return out;
}

export function toLegacyStatusUpdate(e: TaskStatusUpdateEvent, final: boolean): LegacyStatusUpdate {
  const out: LegacyStatusUpdate = {
    kind: 'status-update',
    taskId: e.taskId,
    contextId: e.contextId,
    status: toLegacyStatus(e.status),
    final,
  };
  if (e.metadata !== undefined) out.metadata = e.metadata;
  return out;
}

export function toLegacyArtifactUpdate(e: TaskArtifactUpdateEvent): LegacyArtifactUpdate {
  const out: LegacyArtifactUpdate = {
    kind: 'artifact-update',
    taskId: e.taskId,
    contextId: e.contextId,
    artifact: toLegacyArtifact(e.artifact),
  };
  if (e.append !== undefined) out.append = e.append;
  if (e.lastChunk !== undefined) out.lastChunk = e.lastChunk;
  if (e.metadata !== undefined) out.metadata = e.metadata;
  return out;
}

/** A v1.0 SendMessage result ({task} | {message}) as the bare 0.3 object. */
export function toLegacySendResult(r: { task: Task } | { message: Message }): LegacyTask | LegacyMessage {
  return 'task' in r ? toLegacyTask(r.task) : toLegacyMessage(r.message);
}

/** One stream frame as a 0.3 stream result; `final: true` marks the status event that ends it. */
export function toLegacyStreamResult(
  frame: StreamFrame,
): LegacyTask | LegacyMessage | LegacyStatusUpdate | LegacyArtifactUpdate {
  const r = frame.response;
  if ('task' in r) return toLegacyTask(r.task);
  if ('message' in r) return toLegacyMessage(r.message);
  if ('statusUpdate' in r) return toLegacyStatusUpdate(r.statusUpdate, frame.final);
  return toLegacyArtifactUpdate(r.artifactUpdate);
}

export function toLegacyPushConfig(c: TaskPushNotificationConfig): LegacyTaskPushConfig {
  const inner: LegacyPushConfig = { url: c.url };
  if (c.id !== undefined) inner.id = c.id;
  if (c.token !== undefined) inner.token = c.token;
  if (c.authentication) {
    inner.authentication = { schemes: [c.authentication.scheme] };
    if (c.authentication.credentials !== undefined)
      inner.authentication.credentials = c.authentication.credentials;
  }
  return { taskId: c.taskId, pushNotificationConfig: inner };
}
