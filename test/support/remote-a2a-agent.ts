/**
 * A real A2A agent on loopback for the remote-agent tests: the @a2a-js/sdk server (express,
 * DefaultRequestHandler, in-memory store) around a small AgentExecutor whose behaviour is picked
 * by the text it gets:
 * - "weather ... in <City>": WORKING, a chunked artifact, COMPLETED;
 * - "forecast" (no city): INPUT_REQUIRED "Which city?", then the follow-up's text is the city;
 * - "slow": WORKING until canceled;
 * - "hello": a direct Message, no task.
 * It records each JSON-RPC call (method and Authorization header) and each cancel.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentCard, Message, Task, TaskArtifactUpdateEvent, TaskStatusUpdateEvent } from '@a2a-js/sdk';
import {
  AgentEvent,
  type AgentExecutor,
  DefaultRequestHandler,
  type ExecutionEventBus,
  InMemoryTaskStore,
  type RequestContext,
} from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express';
import express from 'express';

export interface RemoteAgentServer {
  origin: string;
  cardUrl: string;
  calls: { method: string; authorization: string | undefined }[];
  /** remote task ids that were canceled */
  canceled: string[];
  /** the user texts each remote task received, in order */
  received: Map<string, string[]>;
  /** the remote task whose first user text was `text` (the latest such task) */
  taskReceiving(text: string): string | undefined;
  close(): Promise<void>;
}

export interface RemoteAgentOptions {
  streaming: boolean;
  name?: string;
  /** answer 401 unless `Authorization: Bearer <this>` */
  bearer?: string;
}

export async function startRemoteAgent(o: RemoteAgentOptions): Promise<RemoteAgentServer> {
  const app = express();
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const calls: RemoteAgentServer['calls'] = [];
  const canceled: string[] = [];
  const store = new InMemoryTaskStore();
  const received = new Map<string, string[]>();
  const card = AgentCard.fromJSON({
    name: o.name ?? 'Weather Agent',
    description: 'Tells the weather and the forecast for a city.',
    version: '2.1.0',
    supportedInterfaces: [{ url: `${origin}/a2a`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
    capabilities: { streaming: o.streaming, pushNotifications: false },
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [
      {
        id: 'weather',
        name: 'Weather',
        description: 'Current weather and forecasts for a city',
        tags: ['weather', 'forecast'],
        examples: ['What is the weather in Paris?'],
      },
    ],
  });
  const handler = new DefaultRequestHandler(card, store, new ScriptedExecutor(canceled, received));
  app.use(express.json());
  app.use((req, res, next) => {
    if (req.method !== 'POST') return next();
    const body = req.body as { method?: unknown } | undefined;
    calls.push({ method: String(body?.method), authorization: req.headers.authorization });
    if (o.bearer !== undefined && req.headers.authorization !== `Bearer ${o.bearer}`) {
      res.status(401).set('www-authenticate', 'Bearer').json({ error: 'unauthorized' });
      return;
    }
    next();
  });
  app.use('/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: handler }));
  app.use('/a2a', jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
  return {
    origin,
    cardUrl: `${origin}/.well-known/agent-card.json`,
    calls,
    canceled,
    received,
    taskReceiving: (text) => [...received].findLast(([, texts]) => texts[0] === text)?.[0],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (text: string) => ({ text });

class ScriptedExecutor implements AgentExecutor {
  private readonly contexts = new Map<string, string>();
  constructor(
    private readonly canceled: string[],
    private readonly received: Map<string, string[]>,
  ) {}

  async execute(ctx: RequestContext, bus: ExecutionEventBus): Promise<void> {
    const { taskId, contextId } = ctx;
    this.contexts.set(taskId, contextId);
    const user = Message.toJSON(ctx.userMessage) as { parts?: { text?: string }[] };
    const text = (user.parts ?? []).map((p) => p.text ?? '').join(' ');
    this.received.set(taskId, [...(this.received.get(taskId) ?? []), text]);
    const status = (state: string, message?: string) =>
      AgentEvent.statusUpdate(
        TaskStatusUpdateEvent.fromJSON({
          taskId,
          contextId,
          status: {
            state,
            timestamp: new Date().toISOString(),
            ...(message
              ? { message: { messageId: `s-${Math.random()}`, role: 'ROLE_AGENT', parts: [json(message)] } }
              : {}),
          },
        }),
      );
    const chunk = (artifactId: string, value: string, append: boolean, lastChunk: boolean) =>
      AgentEvent.artifactUpdate(
        TaskArtifactUpdateEvent.fromJSON({
          taskId,
          contextId,
          artifact: { artifactId, name: 'weather', parts: [json(value)] },
          append,
          lastChunk,
        }),
      );
    if (/hello/i.test(text) && !ctx.task) {
      bus.publish(
        AgentEvent.message(
          Message.fromJSON({
            messageId: `m-${Math.random()}`,
            contextId,
            role: 'ROLE_AGENT',
            parts: [json('Hello from the remote')],
          }),
        ),
      );
      bus.finished();
      return;
    }
    bus.publish(
      AgentEvent.task(
        ctx.task ??
          Task.fromJSON({
            id: taskId,
            contextId,
            status: { state: 'TASK_STATE_SUBMITTED' },
            history: [Message.toJSON(ctx.userMessage)],
          }),
      ),
    );
    bus.publish(status('TASK_STATE_WORKING'));
    const city = ctx.task ? text.trim() : /\bin ([A-Z][a-z]+)/.exec(text)?.[1];
    if (/slow/i.test(text)) {
      while (!this.canceled.includes(taskId)) await new Promise((r) => setTimeout(r, 20));
      bus.finished();
      return;
    }
    if (city === undefined) {
      bus.publish(status('TASK_STATE_INPUT_REQUIRED', 'Which city?'));
      bus.finished();
      return;
    }
    bus.publish(chunk('weather-report', `The weather in ${city}`, false, false));
    bus.publish(chunk('weather-report', ' is sunny.', true, true));
    bus.publish(status('TASK_STATE_COMPLETED', `Reported the weather in ${city}.`));
    bus.finished();
  }

  async cancelTask(taskId: string, bus: ExecutionEventBus): Promise<void> {
    this.canceled.push(taskId);
    bus.publish(
      AgentEvent.statusUpdate(
        TaskStatusUpdateEvent.fromJSON({
          taskId,
          contextId: this.contexts.get(taskId) ?? '',
          status: { state: 'TASK_STATE_CANCELED', timestamp: new Date().toISOString() },
        }),
      ),
    );
    bus.finished();
  }
}
