/**
 * Remote A2A objects (already validated) as events for the local task's log. Pure.
 * - A snapshot (a Task from SendMessage, GetTask or a stream) is compared with the local task and
 *   only the difference is appended: new artifacts, parts appended to an artifact (as an
 *   `append` chunk), replaced artifacts, and the status when its state or message changed. So
 *   polling the same snapshot twice, or a redelivered run re-reading it, appends nothing.
 * - Stream updates map one to one (status; artifact chunks keep `append`/`lastChunk`).
 * Remote SUBMITTED is local WORKING (the local task is already running). Status message ids are
 * derived from the remote ones, so the same remote message is recognised when it comes again.
 */
import { createHash } from 'node:crypto';
import { TaskState } from '../../../core/a2a/task-state';
import type { Artifact, Part, Task, TaskArtifactUpdateEvent, TaskStatus } from '../../../core/a2a/types';
import type { TaskRecord } from '../../../core/task-record';

export interface LogMessage {
  messageId: string;
  parts: Part[];
}

export type RemoteLogEvent =
  | { kind: 'status'; state: TaskState; message?: LogMessage }
  | { kind: 'artifact'; artifact: Artifact; append?: boolean; lastChunk?: boolean }
  | { kind: 'message'; message: LogMessage };

type LocalView = Pick<TaskRecord, 'id' | 'status' | 'artifacts'>;

export const localState = (remote: TaskState): TaskState =>
  remote === TaskState.Submitted ? TaskState.Working : remote;

/** A stable message id for the local log, derived from the local task and a remote id. */
export function derivedId(localTaskId: string, remoteId: string): string {
  const h = createHash('sha256').update(`${localTaskId}\u0000${remoteId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function statusEvents(local: LocalView, remote: TaskStatus): RemoteLogEvent[] {
  const state = localState(remote.state);
  const message = remote.message
    ? { messageId: derivedId(local.id, remote.message.messageId), parts: remote.message.parts }
    : undefined;
  const sameMessage = message === undefined || local.status.message?.messageId === message.messageId;
  if (local.status.state === state && sameMessage) return [];
  return [message ? { kind: 'status', state, message } : { kind: 'status', state }];
}

/** The snapshot's artifacts that the local task does not have yet (or has differently). */
export function artifactEvents(local: LocalView, remote: Task): RemoteLogEvent[] {
  const events: RemoteLogEvent[] = [];
  for (const artifact of remote.artifacts ?? []) {
    const mine = local.artifacts.find((a) => a.artifactId === artifact.artifactId);
    if (!mine) events.push({ kind: 'artifact', artifact });
    else if (canonical(mine) === canonical(artifact)) continue;
    else if (sameExceptParts(mine, artifact) && isPrefix(mine.parts, artifact.parts)) {
      events.push({
        kind: 'artifact',
        artifact: { ...artifact, parts: artifact.parts.slice(mine.parts.length) },
        append: true,
      });
    } else events.push({ kind: 'artifact', artifact, append: false });
  }
  return events;
}

export function snapshotEvents(local: LocalView, remote: Task): RemoteLogEvent[] {
  return [...artifactEvents(local, remote), ...statusEvents(local, remote.status)];
}

export function artifactEvent(update: TaskArtifactUpdateEvent): RemoteLogEvent {
  const event: RemoteLogEvent = { kind: 'artifact', artifact: update.artifact };
  if (update.append !== undefined) event.append = update.append;
  if (update.lastChunk !== undefined) event.lastChunk = update.lastChunk;
  return event;
}

function sameExceptParts(a: Artifact, b: Artifact): boolean {
  return canonical({ ...a, parts: [] }) === canonical({ ...b, parts: [] });
}

function isPrefix(shorter: readonly Part[], longer: readonly Part[]): boolean {
  return shorter.length < longer.length && shorter.every((p, i) => canonical(p) === canonical(longer[i]));
}

/** JSON with sorted keys: equal values give equal strings whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
