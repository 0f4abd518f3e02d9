/**
 * The commands of `npm run a2a`, each one or two SDK calls. A task that is still running after a
 * blocking send, a stream, or a watch is followed with SubscribeToTask until it settles; a stream
 * that drops before then is resumed with Last-Event-ID after the last event taken.
 */
import { randomUUID } from 'node:crypto';
import { type Message, Role, type StreamResponse, TaskState } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import type { Connection } from './connection';
import { isDroppedConnection } from './errors';
import { type Command, DEFAULT_AGENT } from './invocation';
import { isSettled, type Output, stateName } from './render';

/** Reconnects in a row without an event in between before a watch gives up. */
const MAX_RESUMES = 5;

export interface Context {
  conn: Connection;
  out: Output;
  agentId: string;
}

export async function runCommand(cmd: Command, ctx: Context): Promise<void> {
  const { client } = ctx.conn;
  switch (cmd.name) {
    case 'send':
      return send(cmd, ctx);
    case 'get':
      return ctx.out.task(
        await client.getTask({ tenant: '', id: cmd.taskId, historyLength: cmd.historyLength ?? 0 }),
        { history: true },
      );
    case 'list':
      return ctx.out.list(
        await client.listTasks({
          tenant: '',
          contextId: cmd.contextId ?? '',
          status: cmd.status ?? TaskState.TASK_STATE_UNSPECIFIED,
          pageSize: cmd.pageSize,
          pageToken: cmd.pageToken ?? '',
          historyLength: 0,
          statusTimestampAfter: undefined,
          includeArtifacts: false,
        }),
      );
    case 'cancel':
      return ctx.out.task(await client.cancelTask({ tenant: '', id: cmd.taskId, metadata: undefined }));
    case 'watch':
      return follow(ctx, cmd.taskId);
  }
}

async function send(cmd: Extract<Command, { name: 'send' }>, ctx: Context): Promise<void> {
  const { client } = ctx.conn;
  const params = {
    tenant: '',
    message: userMessage(cmd),
    configuration: {
      acceptedOutputModes: [],
      taskPushNotificationConfig: undefined,
      returnImmediately: !cmd.wait,
    },
    metadata: undefined,
  };
  if (cmd.stream) return follow(ctx, undefined, client.sendMessageStream(params));
  ctx.out.waiting(`waiting for ${ctx.agentId}`);
  const result = await client.sendMessage(params);
  ctx.out.sendResult(result);
  if ('messageId' in result) return;
  const state = result.status?.state;
  if (!cmd.wait) {
    hintNext(ctx, result.id, state);
    return;
  }
  // The gateway's blocking wait is bounded; a task still running after it is followed to the end.
  if (!isSettled(state)) {
    if (!ctx.out.json) ctx.out.line('still running; following it');
    return follow(ctx, result.id);
  }
  hintNext(ctx, result.id, state);
}

function userMessage(cmd: Extract<Command, { name: 'send' }>): Message {
  return {
    messageId: cmd.messageId ?? randomUUID(),
    contextId: cmd.contextId ?? '',
    taskId: cmd.taskId ?? '',
    role: Role.ROLE_USER,
    parts: [
      { content: { $case: 'text', value: cmd.text }, metadata: undefined, filename: '', mediaType: '' },
    ],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

/**
 * Prints a task's events until it settles: from `first` (a new stream) or from SubscribeToTask.
 * A stream that ends or drops before the task settles is resumed after the last event taken.
 */
async function follow(ctx: Context, knownTaskId: string | undefined, first?: AsyncIterable<StreamResponse>) {
  const { client, cursor } = ctx.conn;
  let taskId = knownTaskId;
  let stream = first ?? subscribe(client, taskId ?? '', undefined);
  let state: TaskState | undefined;
  for (let resumes = 0; ; resumes++) {
    let dropped: unknown;
    try {
      for await (const ev of stream) {
        cursor.taken();
        resumes = 0;
        const seen = ctx.out.event(ev);
        taskId ??= seen.taskId;
        state = seen.state ?? state;
        if (isSettled(state)) {
          ctx.out.done();
          if (taskId && ev.payload?.$case !== 'message') hintNext(ctx, taskId, state);
          return;
        }
      }
    } catch (err) {
      if (!isDroppedConnection(err)) throw err;
      dropped = err;
    }
    if (taskId === undefined || resumes >= MAX_RESUMES) {
      throw dropped ?? new Error('the stream ended before the task settled');
    }
    const after = cursor.lastEventId;
    ctx.out.notice(
      `stream ${dropped ? 'dropped' : 'ended'} before the task settled; resuming${after ? ` after event ${after}` : ''}`,
    );
    await new Promise((r) => setTimeout(r, dropped ? Math.min(250 * 2 ** resumes, 4_000) : 0));
    stream = subscribe(client, taskId, after);
  }
}

const subscribe = (client: Client, id: string, lastEventId: string | undefined) =>
  client.resubscribeTask(
    { tenant: '', id },
    lastEventId === undefined ? {} : { serviceParameters: { 'Last-Event-ID': lastEventId } },
  );

/** What to run next, on stderr (so --json output stays one object per line). */
function hintNext(ctx: Context, taskId: string, state: TaskState | undefined): void {
  const agent = ctx.agentId === DEFAULT_AGENT ? '' : ` --agent ${ctx.agentId}`;
  if (state === TaskState.TASK_STATE_INPUT_REQUIRED || state === TaskState.TASK_STATE_AUTH_REQUIRED) {
    ctx.out.notice(`the agent waits for input: npm run a2a -- send "<reply>" --task ${taskId}${agent}`);
  } else if (!isSettled(state)) {
    ctx.out.notice(`${stateName(state)}: npm run a2a -- watch ${taskId}${agent}   (or get / cancel)`);
  }
}
