/**
 * The reference the gateway is compared with: the official @a2a-js/sdk server (express, its
 * DefaultRequestHandler and InMemoryTaskStore, no authentication) behind its JSON-RPC handler,
 * with a trivial AgentExecutor. The executor does what the gateway does before it answers a
 * non-blocking SendMessage: it records the task as SUBMITTED and hands it on (here: returns).
 * With `configuration.returnImmediately` the SDK answers as soon as that first Task event is
 * processed (saved to its store); without it, it waits for the executor to finish.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AgentCard, type Task, TaskState } from '@a2a-js/sdk';
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

export async function startSdkReferenceServer(): Promise<StartedServer> {
  const app = express();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const handler = new DefaultRequestHandler(card(`${origin}/`), new InMemoryTaskStore(), submittingExecutor);
  app.use('/', jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
  return {
    origin,
    path: '/',
    headers: { 'a2a-version': '1.0' },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
