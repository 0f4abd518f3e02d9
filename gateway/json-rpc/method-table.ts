/**
 * The v1.0 JSON-RPC methods: name -> required scope, params validator, use case. A table, not a
 * switch; the 0.3 compat layer translates into the same table.
 */
import type { TSchema } from '@sinclair/typebox';
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
import { compileValidator } from '../../core/validation/validator';

export interface MethodCall {
  deps: UseCaseDeps;
  ctx: RequestContext;
  agent: AgentScope;
  protocol: ProtocolVersion;
}

export interface MethodDefinition {
  scope: Scope | null;
  /** Validates and normalizes params; throws InvalidParamsError. */
  parse(params: unknown): unknown;
  run(call: MethodCall, params: unknown): Promise<unknown>;
}

function method<T extends TSchema>(
  schema: T,
  scope: Scope | null,
  run: (call: MethodCall, params: import('@sinclair/typebox').Static<T>) => Promise<unknown>,
): MethodDefinition {
  const validator = compileValidator(schema);
  return {
    scope,
    parse: (params) => validator.parse(params ?? {}, 'params'),
    run: (call, params) => run(call, params as import('@sinclair/typebox').Static<T>),
  };
}

const streamingUnsupported = async (): Promise<never> => {
  throw new UnsupportedOperationError(
    'Streaming is not enabled on this agent (capabilities.streaming is false)',
  );
};

export const METHODS: Readonly<Record<string, MethodDefinition>> = Object.freeze({
  SendMessage: method(S.SendMessageRequestSchema, Scope.Submit, async (c, p) => {
    const { response } = await sendMessage(c.deps, c.ctx, c.agent, p, { protocol: c.protocol });
    return response;
  }),
  SendStreamingMessage: method(S.SendMessageRequestSchema, Scope.Submit, streamingUnsupported),
  GetTask: method(S.GetTaskRequestSchema, Scope.Read, (c, p) => getTask(c.deps, c.ctx, c.agent, p)),
  ListTasks: method(S.ListTasksRequestSchema, Scope.Read, (c, p) => listTasks(c.deps, c.ctx, c.agent, p)),
  CancelTask: method(S.CancelTaskRequestSchema, Scope.Cancel, (c, p) =>
    cancelTask(c.deps, c.ctx, c.agent, p),
  ),
  SubscribeToTask: method(S.SubscribeToTaskRequestSchema, Scope.Read, streamingUnsupported),
  CreateTaskPushNotificationConfig: method(S.TaskPushNotificationConfigSchema, Scope.Webhooks, (c, p) =>
    createPushConfig(c.deps, c.ctx, c.agent, p, c.protocol),
  ),
  GetTaskPushNotificationConfig: method(S.TaskPushConfigRefSchema, Scope.Webhooks, (c, p) =>
    getPushConfig(c.deps, c.ctx, c.agent, p),
  ),
  ListTaskPushNotificationConfigs: method(S.ListTaskPushConfigsRequestSchema, Scope.Webhooks, (c, p) =>
    listPushConfigs(c.deps, c.ctx, c.agent, p),
  ),
  DeleteTaskPushNotificationConfig: method(S.TaskPushConfigRefSchema, Scope.Webhooks, async (c, p) => {
    await deletePushConfig(c.deps, c.ctx, c.agent, p);
    return {};
  }),
  GetExtendedAgentCard: method(S.GetExtendedAgentCardRequestSchema, null, async () => {
    throw new UnsupportedOperationError(
      'This agent has no extended agent card (capabilities.extendedAgentCard is false)',
    );
  }),
});
