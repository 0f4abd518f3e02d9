/**
 * The reference the gateway is compared with: the official @a2a-js/sdk server (express, its
 * DefaultRequestHandler and InMemoryTaskStore, no authentication) behind its JSON-RPC handler,
 * with a trivial AgentExecutor. The executor does what the gateway does before it answers a
 * non-blocking SendMessage: it records the task as SUBMITTED and hands it on (here: returns).
 * With `configuration.returnImmediately` the SDK answers as soon as that first Task event is
 * processed (saved to its store); without it, it waits for the executor to finish.
 * `completing: true` gives it an executor that finishes the task as the gateway's echo agent
 * does (SUBMITTED task, WORKING, the text back as an artifact, COMPLETED with the text as the
 * status message), and a store that counts the tasks it saw created and COMPLETED.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AgentCard, type Message, Role, type Task, TaskState } from '@a2a-js/sdk';
import {
  AgentEvent,
  type AgentExecutor,
  DefaultRequestHandler,
  type ExecutionEventBus,
  InMemoryTaskStore,
  type RequestContext,
} from '@a2a-js/sdk/server';
import { jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express';
import express from 'express';

export interface StartedServer {
  origin: string;
  path: string;
  headers: Record<string, string>;
  close(): Promise<void>;
}

/** What a completing reference reports: tasks its store saw created, and saw COMPLETED. */
export interface ReferenceCounts {
  created: number;
  completed: number;
}

const submittingExecutor: AgentExecutor = {
  async execute(ctx: RequestContext, bus: ExecutionEventBus) {
    const task: Task = {
      id: ctx.taskId,
      contextId: ctx.contextId,
      status: {
        state: TaskState.TASK_STATE_SUBMITTED,
        message: undefined,
        timestamp: new Date().toISOString(),
      },
      artifacts: [],
      history: [ctx.userMessage],
      metadata: undefined,
    };
    bus.publish(AgentEvent.task(task));
    bus.finished();
  },
  async cancelTask() {},
};

const completingExecutor: AgentExecutor = {
  async execute(ctx: RequestContext, bus: ExecutionEventBus) {
    const { taskId, contextId, userMessage } = ctx;
    const at = () => new Date().toISOString();
    const task: Task = {
      id: taskId,
      contextId,
      status: { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: at() },
      artifacts: [],
      history: [userMessage],
      metadata: undefined,
    };
    bus.publish(AgentEvent.task(task));
    bus.publish(
      AgentEvent.statusUpdate({
        taskId,
        contextId,
        status: { state: TaskState.TASK_STATE_WORKING, message: undefined, timestamp: at() },
        metadata: undefined,
      }),
    );
    const artifact = {
      artifactId: 'echo',
      name: 'echo',
      description: '',
      parts: userMessage.parts,
      metadata: undefined,
      extensions: [],
    };
    bus.publish(
      AgentEvent.artifactUpdate({
        taskId,
        contextId,
        artifact,
        append: false,
        lastChunk: true,
        metadata: undefined,
      }),
    );
    const reply: Message = {
      messageId: `${taskId}-reply`,
      contextId,
      taskId,
      role: Role.ROLE_AGENT,
      parts: userMessage.parts,
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    };
    bus.publish(
      AgentEvent.statusUpdate({
        taskId,
        contextId,
        status: { state: TaskState.TASK_STATE_COMPLETED, message: reply, timestamp: at() },
        metadata: undefined,
      }),
    );
    bus.finished();
  },
  async cancelTask() {},
};

/** The SDK's in-memory store, counting the first save of each task and its save in COMPLETED. */
class CountingTaskStore extends InMemoryTaskStore {
  readonly counts: ReferenceCounts = { created: 0, completed: 0 };
  readonly #seen = new Set<string>();
  override async save(...args: Parameters<InMemoryTaskStore['save']>): Promise<void> {
    await super.save(...args);
    const [task] = args;
    if (!this.#seen.has(task.id)) {
      this.#seen.add(task.id);
      this.counts.created += 1;
    }
    if (task.status?.state === TaskState.TASK_STATE_COMPLETED) this.counts.completed += 1;
  }
}

function card(url: string): AgentCard {
  return {
    name: 'Reference',
    description: 'The @a2a-js/sdk reference server with a trivial executor',
    supportedInterfaces: [{ url, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' }],
    provider: undefined,
    version: '1.0.0',
    capabilities: { streaming: false, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [],
    signatures: [],
  };
}

export async function startSdkReferenceServer(
  opts: { completing?: boolean } = {},
): Promise<StartedServer & { counts: () => ReferenceCounts }> {
  const app = express();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  // Section 1 measures the plain store; only the completing reference counts (a Set per task).
  const store = opts.completing ? new CountingTaskStore() : new InMemoryTaskStore();
  const executor = opts.completing ? completingExecutor : submittingExecutor;
  const handler = new DefaultRequestHandler(card(`${origin}/`), store, executor);
  app.use('/', jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
  return {
    origin,
    path: '/',
    headers: { 'a2a-version': '1.0' },
    counts: () => (store instanceof CountingTaskStore ? { ...store.counts } : { created: 0, completed: 0 }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
