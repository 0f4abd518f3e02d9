/** Small fixture factories: principals, contexts, messages, task records and a settable clock. */
import { randomUUID } from 'node:crypto';
import { TaskState } from '../../core/a2a/task-state';
import type { Artifact, Message } from '../../core/a2a/types';
import type { Principal, RequestContext } from '../../core/context';
import type { Clock } from '../../core/ports/clock';
import type { CreateTaskInput, StoredPushConfig, TaskStore } from '../../core/ports/task-store';
import { applyEvents, type StoredEvent, type TaskRecord } from '../../core/task-record';

/** 2026-01-01T00:00:00Z: tests that need "now" start here. */
export const T0 = Date.parse('2026-01-01T00:00:00.000Z');

export const uniqueId = (prefix = 'id'): string => `${prefix}-${randomUUID()}`;

export const principal = (
  tenant = 'tenant-a',
  subject = 'alice',
  scopes: readonly string[] = [],
): Principal => ({
  tenant,
  subject,
  scopes,
});

export const ctx = (tenant = 'tenant-a', subject = 'alice'): RequestContext => ({
  principal: principal(tenant, subject),
  requestId: uniqueId('req'),
});

export const userMessage = (text: string, overrides: Partial<Message> = {}): Message => ({
  messageId: uniqueId('msg'),
  role: 'ROLE_USER',
  parts: [{ text }],
  ...overrides,
});

export const agentMessage = (text: string, overrides: Partial<Message> = {}): Message =>
  userMessage(text, { role: 'ROLE_AGENT', ...overrides });

export const textArtifact = (text: string, overrides: Partial<Artifact> = {}): Artifact => ({
  artifactId: uniqueId('art'),
  parts: [{ text }],
  ...overrides,
});

/** A SUBMITTED task at version 1, as SendMessage creates it (override anything). */
export function taskRecord(overrides: Partial<TaskRecord> = {}): TaskRecord {
  const createdAt = overrides.createdAt ?? new Date(T0).toISOString();
  return {
    tenant: 'tenant-a',
    id: uniqueId('task'),
    contextId: uniqueId('ctx'),
    agentId: 'echo',
    owner: 'alice',
    status: { state: TaskState.Submitted, timestamp: createdAt },
    artifacts: [],
    history: [],
    version: 1,
    createdAt,
    protocol: '1.0',
    ...overrides,
  };
}

/**
 * CreateTaskInput for a new task: the record (history = the first message), its first event (seq 1)
 * and the message id as idempotency key.
 */
export type NewTask = CreateTaskInput & { message: Message };

export function newTask(
  overrides: Partial<TaskRecord> = {},
  message: Message = userMessage('hello'),
): NewTask {
  const task = taskRecord({ history: [message], ...overrides, version: 1 });
  const events: StoredEvent[] = [
    { seq: 1, at: task.createdAt, event: { kind: 'status', status: task.status, history: [message] } },
  ];
  return { task, events, idempotencyKey: message.messageId, message };
}

export function pushConfig(
  taskId: string,
  overrides: Partial<StoredPushConfig['config']> = {},
): StoredPushConfig {
  return {
    config: {
      id: uniqueId('cfg'),
      taskId,
      url: 'https://hooks.example.com/a2a',
      token: 'secret-token',
      ...overrides,
    },
    owner: 'alice',
    protocol: '1.0',
    createdAt: new Date(T0).toISOString(),
  };
}

export interface TestClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function testClock(startMs = T0): TestClock {
  let now = startMs;
  return {
    now: () => now,
    set: (ms) => {
      now = ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/** What a worker writes when a task moves to `state`: one status event, committed on its read. */
export async function commitStatus(
  store: Pick<TaskStore, 'get' | 'commit'>,
  context: RequestContext,
  taskId: string,
  state: TaskState,
  o: { at?: string; metadata?: Record<string, unknown>; expiresAt?: number } = {},
): Promise<TaskRecord> {
  const current = await store.get(context, taskId);
  if (!current) throw new Error(`task ${taskId} missing`);
  const at = o.at ?? new Date().toISOString();
  const { next, stored } = applyEvents(current, [{ kind: 'status', status: { state, timestamp: at } }], at);
  if (o.metadata) next.metadata = o.metadata;
  if (o.expiresAt !== undefined) next.expiresAt = o.expiresAt;
  return store.commit(context, { taskId, expectedVersion: current.version, next, events: stored });
}
