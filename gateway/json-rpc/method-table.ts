/**
 * The v1.0 JSON-RPC methods: name -> required scope, params validator, use case. A table, not a
 * switch; the 0.3 compat table (gateway/compat/legacy-method-table.ts) translates into the same
 * use cases. Streaming methods return a task stream and how to render each frame; the endpoint
 * answers them with SSE, or with -32004 where this process does not serve streams.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import * as S from '../../core/a2a/schemas';
import type { RequestContext } from '../../core/context';
import { UnsupportedOperationError } from '../../core/errors';
import { Scope } from '../../core/scopes';
import type { ProtocolVersion } from '../../core/task-record';
import { cancelTask } from '../../core/use-cases/cancel-task';
import type { AgentScope, UseCaseDeps } from '../../core/use-cases/deps';
import { getTask } from '../../core/use-cases/get-task';
import { listTasks } from '../../core/use-cases/list-tasks';
import {
  createPushConfig,
  deletePushConfig,
  getPushConfig,
  listPushConfigs,
} from '../../core/use-cases/push-configs';
import { sendMessage } from '../../core/use-cases/send-message';
import { sendStreamingMessage } from '../../core/use-cases/send-streaming-message';
import type { StreamFrame } from '../../core/use-cases/stream-frames';
import { subscribeToTask } from '../../core/use-cases/subscribe-to-task';
import type { StreamOptions, TaskStream } from '../../core/use-cases/task-stream';
import { compileValidator } from '../../core/validation/validator';
import type { ExtendedCardSource } from '../cards/extended-card';

export interface MethodCall {
  deps: UseCaseDeps;
  ctx: RequestContext;
  agent: AgentScope;
  protocol: ProtocolVersion;
  /** Last-Event-ID and stream timing, for streaming methods */
  stream: StreamOptions;
  /** the authenticated card of this deployment (GetExtendedAgentCard) */
  extendedCard?: ExtendedCardSource;
}

/** A stream and how each frame becomes a JSON-RPC `result` in this protocol version. */
export interface RenderedStream {
  stream: TaskStream;
  render(frame: StreamFrame): unknown;
}

interface MethodBase {
  scope: Scope | null;
  /** Validates and normalizes params; throws InvalidParamsError. */
  parse(params: unknown): unknown;
}
export type MethodDefinition =
  | (MethodBase & { streaming: false; run(call: MethodCall, params: unknown): Promise<unknown> })
  | (MethodBase & { streaming: true; run(call: MethodCall, params: unknown): Promise<RenderedStream> });

export function unaryMethod<T extends TSchema>(
  schema: T,
  scope: Scope | null,
  run: (call: MethodCall, params: Static<T>) => Promise<unknown>,
): MethodDefinition {
  const validator = compileValidator(schema);
  return {
    scope,
    streaming: false,
    parse: (params) => validator.parse(params ?? {}, 'params'),
    run: (call, params) => run(call, params as Static<T>),
  };
}

export function streamMethod<T extends TSchema>(
  schema: T,
  scope: Scope | null,
  run: (call: MethodCall, params: Static<T>) => Promise<RenderedStream>,
): MethodDefinition {
  const validator = compileValidator(schema);
  return {
    scope,
    streaming: true,
    parse: (params) => validator.parse(params ?? {}, 'params'),
    run: (call, params) => run(call, params as Static<T>),
  };
}

/** The caller's extended card, or -32004 where the capability is off. */
export const extendedCard = async (c: MethodCall): Promise<unknown> => {
  if (!c.extendedCard) {
    throw new UnsupportedOperationError(
      'This agent has no extended agent card (capabilities.extendedAgentCard is false)',
    );
  }
  return c.extendedCard(c.agent.agentId, c.ctx.principal, c.protocol);
};

const asIs = (frame: StreamFrame): unknown => frame.response;

export const METHODS: Readonly<Record<string, MethodDefinition>> = Object.freeze({
  SendMessage: unaryMethod(S.SendMessageRequestSchema, Scope.Submit, async (c, p) => {
    const { response } = await sendMessage(c.deps, c.ctx, c.agent, p, { protocol: c.protocol });
    return response;
  }),
  SendStreamingMessage: streamMethod(S.SendMessageRequestSchema, Scope.Submit, async (c, p) => ({
    stream: await sendStreamingMessage(c.deps, c.ctx, c.agent, p, { ...c.stream, protocol: c.protocol }),
    render: asIs,
  })),
  GetTask: unaryMethod(S.GetTaskRequestSchema, Scope.Read, (c, p) => getTask(c.deps, c.ctx, c.agent, p)),
  ListTasks: unaryMethod(S.ListTasksRequestSchema, Scope.Read, (c, p) =>
    listTasks(c.deps, c.ctx, c.agent, p),
  ),
  CancelTask: unaryMethod(S.CancelTaskRequestSchema, Scope.Cancel, (c, p) =>
    cancelTask(c.deps, c.ctx, c.agent, p),
  ),
  SubscribeToTask: streamMethod(S.SubscribeToTaskRequestSchema, Scope.Read, async (c, p) => ({
    stream: await subscribeToTask(c.deps, c.ctx, c.agent, p, c.stream),
    render: asIs,
  })),
  CreateTaskPushNotificationConfig: unaryMethod(S.TaskPushNotificationConfigSchema, Scope.Webhooks, (c, p) =>
    createPushConfig(c.deps, c.ctx, c.agent, p, c.protocol),
  ),
  GetTaskPushNotificationConfig: unaryMethod(S.TaskPushConfigRefSchema, Scope.Webhooks, (c, p) =>
    getPushConfig(c.deps, c.ctx, c.agent, p),
  ),
  ListTaskPushNotificationConfigs: unaryMethod(S.ListTaskPushConfigsRequestSchema, Scope.Webhooks, (c, p) =>
    listPushConfigs(c.deps, c.ctx, c.agent, p),
  ),
  DeleteTaskPushNotificationConfig: unaryMethod(S.TaskPushConfigRefSchema, Scope.Webhooks, async (c, p) => {
    await deletePushConfig(c.deps, c.ctx, c.agent, p);
    return {};
  }),
  GetExtendedAgentCard: unaryMethod(S.GetExtendedAgentCardRequestSchema, null, extendedCard),
});
