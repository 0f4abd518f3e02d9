/**
 * SendMessage: creates a task (or continues an interrupted one), puts the work on the queue, and
 * by default waits until the task settles. Idempotent on (tenant, the message's identity): a retry
 * of the same message (message-identity.ts) returns the task it created or continued, for as long
 * as that task is kept. A tenant at its cap of queued work gets TenantQueueFullError for new work
 * (admit-queued-work.ts); a retried send still returns its task.
 */

import { isTerminal, TaskState } from '../a2a/task-state';
import type { Message, SendMessageRequest, SendMessageResponse } from '../a2a/types';
import { acceptsMediaType } from '../agent-catalog';
import { type RequestContext, traceIdOf } from '../context';
import {
  ContentTypeNotSupportedError,
  InvalidParamsError,
  TaskNotFoundError,
  UnsupportedOperationError,
  VersionConflictError,
} from '../errors';
import { isoAt } from '../ports/clock';
import type { CreateTaskInput } from '../ports/task-store';
import { clientTaskMetadata } from '../remote-agents';
import { assertMaySend } from '../scopes';
import {
  applyEvents,
  type ProtocolVersion,
  type StoredEvent,
  submitterOf,
  type TaskRecord,
  toTask,
} from '../task-record';
import { assertValidMessage } from '../validation/parts';
import { admitQueuedWork } from './admit-queued-work';
import { awaitSettled } from './await-settled';
import type { AgentScope, UseCaseDeps } from './deps';
import { enqueueWork } from './enqueue-work';
import { loadTask } from './load-task';
import { idempotencyKeyOf } from './message-identity';
import { buildPushConfig } from './push-config-record';

const MAX_CONFLICT_RETRIES = 5;

export interface SendOptions {
  protocol: ProtocolVersion;
  /** streaming calls never block */
  returnImmediately?: boolean;
}

export async function sendMessage(
  deps: UseCaseDeps,
  ctx: RequestContext,
  scope: AgentScope,
  req: SendMessageRequest,
  opts: SendOptions,
): Promise<{ record: TaskRecord; response: SendMessageResponse }> {
  const { message } = req;
  // The gateway checks the same at its edge; this holds for the router's sub-tasks too.
  assertMaySend(ctx.principal.scopes, scope.agentId);
  assertValidMessage(message);
  assertMediaTypes(deps, scope, message);

  const key = idempotencyKeyOf(scope.agentId, message);
  // A new task's create finds a retry's task itself, by the idempotency record its write is
  // conditional on: no read before it. A follow-up looks first, as its commit could not say why
  // it failed.
  let record =
    message.taskId === undefined
      ? await createTask(deps, ctx, { scope, req, protocol: opts.protocol, key })
      : ((await seenBefore(deps, ctx, scope, key)) ?? (await continueTask(deps, ctx, scope, message, key)));

  const conf = req.configuration;
  if (!(opts.returnImmediately ?? conf?.returnImmediately ?? false)) {
    record = await awaitSettled(deps, ctx, record, deps.settings.blockingTimeoutMs);
  }
  return { record, response: respond(record, conf?.historyLength) };
}

export function respond(record: TaskRecord, historyLength: number | undefined): SendMessageResponse {
  if (record.directReply) return { message: record.directReply };
  return { task: toTask(record, historyLength === undefined ? {} : { historyLength }) };
}

function assertMediaTypes(deps: UseCaseDeps, scope: AgentScope, message: Message): void {
  const agent = deps.agents.get(scope.agentId);
  if (!agent) throw new TaskNotFoundError();
  message.parts.forEach((part, i) => {
    if (!acceptsMediaType(agent, part.mediaType)) {
      throw new ContentTypeNotSupportedError(
        `message.parts[${i}] has media type ${part.mediaType}, which agent ${agent.id} does not accept (accepted: ${agent.defaultInputModes.join(', ')})`,
      );
    }
  });
}

/** What a new task is made of: the request on its agent endpoint, and the message's identity. */
interface NewTask {
  scope: AgentScope;
  req: SendMessageRequest;
  protocol: ProtocolVersion;
  key: string;
}

async function createTask(deps: UseCaseDeps, ctx: RequestContext, spec: NewTask): Promise<TaskRecord> {
  const { scope, key } = spec;
  let input: CreateTaskInput;
  try {
    await admitQueuedWork(deps, ctx);
    input = await newTaskInput(deps, ctx, spec);
  } catch (err) {
    // What only new work must pass (the tenant's queued-work cap, the webhook URL policy as it
    // stands today) does not come between a retried send and its task.
    const seen = await seenBefore(deps, ctx, scope, key).catch(() => undefined);
    if (seen) return seen;
    throw err;
  }
  const result = await deps.store.create(ctx, input);
  if (!result.created) return retried(deps, ctx, scope, result.task);
  const { task } = input;
  await enqueueWork(deps.queue, ctx, result.task);
  deps.logger.info(
    {
      tenant: task.tenant,
      taskId: task.id,
      contextId: task.contextId,
      agentId: scope.agentId,
      traceId: traceIdOf(ctx.traceparent),
    },
    'task created',
  );
  return result.task;
}

/** A new task in SUBMITTED with its first event and its inline push config, if any. */
async function newTaskInput(
  deps: UseCaseDeps,
  ctx: RequestContext,
  { scope, req, protocol, key }: NewTask,
): Promise<CreateTaskInput> {
  const now = isoAt(deps.clock.now());
  const taskId = deps.ids.taskId();
  const contextId = req.message.contextId ?? deps.ids.contextId();
  const message: Message = { ...req.message, taskId, contextId };
  const status = { state: TaskState.Submitted, timestamp: now };
  const task: TaskRecord = {
    tenant: ctx.principal.tenant,
    id: taskId,
    contextId,
    agentId: scope.agentId,
    owner: ctx.principal.subject,
    status,
    artifacts: [],
    history: [message],
    version: 1,
    createdAt: now,
    protocol,
    submitter: submitterOf(ctx.principal),
  };
  const metadata = clientTaskMetadata(req.metadata);
  if (metadata) task.metadata = metadata;
  if (ctx.traceparent) task.traceparent = ctx.traceparent;
  const events: StoredEvent[] = [{ seq: 1, at: now, event: { kind: 'status', status, history: [message] } }];
  const inline = req.configuration?.taskPushNotificationConfig;
  const pushConfigs = inline
    ? [await buildPushConfig(deps, ctx, taskId, inline, protocol, 'configuration.taskPushNotificationConfig')]
    : [];
  for (const c of pushConfigs) c.delivery = { lastDeliveredSeq: 0, consecutiveFailures: 0 };
  if (pushConfigs.length > 0) task.hasPush = true;
  return { task, events, idempotencyKey: key, pushConfigs };
}

/** The task a message with this idempotency key created or continued, if it was seen and is kept. */
async function seenBefore(
  deps: UseCaseDeps,
  ctx: RequestContext,
  scope: AgentScope,
  key: string,
): Promise<TaskRecord | undefined> {
  const seen = await deps.store.findByMessageId(ctx, key);
  const task = seen === undefined ? undefined : await deps.store.get(ctx, seen);
  // no longer kept (expired): the message counts as new
  return task === undefined ? undefined : retried(deps, ctx, scope, task);
}

/** A message seen before (a retry): its task, re-enqueued if it may have been stranded. */
async function retried(
  deps: UseCaseDeps,
  ctx: RequestContext,
  scope: AgentScope,
  task: TaskRecord,
): Promise<TaskRecord> {
  if (task.agentId !== scope.agentId) throw new TaskNotFoundError();
  if (task.status.state === TaskState.Submitted && !task.lease) await enqueueWork(deps.queue, ctx, task);
  return task;
}

async function continueTask(
  deps: UseCaseDeps,
  ctx: RequestContext,
  scope: AgentScope,
  incoming: Message,
  key: string,
): Promise<TaskRecord> {
  const taskId = incoming.taskId as string;
  for (let attempt = 0; ; attempt++) {
    const task = await loadTask(deps.store, ctx, scope, taskId);
    if (incoming.contextId !== undefined && incoming.contextId !== task.contextId) {
      throw new InvalidParamsError(`message.contextId does not match the context of task ${taskId}`, [
        { field: 'message.contextId', description: `task ${taskId} belongs to another context` },
      ]);
    }
    const state = task.status.state;
    if (isTerminal(state)) {
      throw new UnsupportedOperationError(
        `Task ${taskId} is ${state} and cannot accept messages; start a new task in the same context`,
      );
    }
    if (state !== TaskState.InputRequired && state !== TaskState.AuthRequired) {
      throw new UnsupportedOperationError(
        `Task ${taskId} is ${state}; messages are accepted when it asks for input`,
      );
    }
    await admitQueuedWork(deps, ctx);
    const now = isoAt(deps.clock.now());
    const message: Message = { ...incoming, contextId: task.contextId };
    const { next, stored } = applyEvents(
      { ...task, submitter: submitterOf(ctx.principal) },
      [{ kind: 'status', status: { state: TaskState.Submitted, timestamp: now }, history: [message] }],
      now,
    );
    try {
      const committed = await deps.store.commit(ctx, {
        taskId,
        expectedVersion: task.version,
        next,
        events: stored,
        idempotencyKey: key,
      });
      await enqueueWork(deps.queue, ctx, committed);
      return committed;
    } catch (err) {
      if (!(err instanceof VersionConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw err;
      const seen = await seenBefore(deps, ctx, scope, key);
      if (seen) return seen;
    }
  }
}
