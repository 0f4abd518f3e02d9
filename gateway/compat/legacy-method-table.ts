/**
 * The A2A 0.3 JSON-RPC methods on the same endpoint: each validates the 0.3 params, translates
 * them to the v1.0 request, calls the same use case as its v1.0 twin (same scope), and
 * translates the result back. Errors keep their codes (and the v1.0 ErrorInfo `data`). Configs
 * registered here are stored with protocol '0.3', so pushes to them use the 0.3 payload.
 * ListTasks has no 0.3 JSON-RPC method.
 */
import * as L from '../../core/compat/v0_3/legacy-schemas';
import { legacyPushConfigToV1, legacySendToV1 } from '../../core/compat/v0_3/legacy-to-v1';
import {
  toLegacyPushConfig,
  toLegacySendResult,
  toLegacyStreamResult,
  toLegacyTask,
} from '../../core/compat/v0_3/v1-to-legacy';
import { TaskNotFoundError } from '../../core/errors';
import { Scope } from '../../core/scopes';
import { cancelTask } from '../../core/use-cases/cancel-task';
import { getTask } from '../../core/use-cases/get-task';
import {
  createPushConfig,
  deletePushConfig,
  getPushConfig,
  listPushConfigs,
} from '../../core/use-cases/push-configs';
import { sendMessage } from '../../core/use-cases/send-message';
import { sendStreamingMessage } from '../../core/use-cases/send-streaming-message';
import { subscribeToTask } from '../../core/use-cases/subscribe-to-task';
import type { TaskStream } from '../../core/use-cases/task-stream';
import {
  extendedCard,
  type MethodCall,
  type MethodDefinition,
  streamMethod,
  unaryMethod,
} from '../json-rpc/method-table';

const PROTOCOL = '0.3' as const;

/** All of a task's configs (0.3 list has no paging). */
async function allConfigs(c: MethodCall, taskId: string) {
  const configs = [];
  let pageToken = '';
  do {
    const page = await listPushConfigs(c.deps, c.ctx, c.agent, { taskId, pageSize: 100, pageToken });
    configs.push(...page.configs);
    pageToken = page.nextPageToken;
  } while (pageToken !== '');
  return configs;
}

export const LEGACY_METHODS: Readonly<Record<string, MethodDefinition>> = Object.freeze({
  'message/send': unaryMethod(L.LegacySendParamsSchema, Scope.Submit, async (c, p) => {
    const { response } = await sendMessage(c.deps, c.ctx, c.agent, legacySendToV1(p), { protocol: PROTOCOL });
    return toLegacySendResult(response);
  }),
  'message/stream': streamMethod(L.LegacySendParamsSchema, Scope.Submit, async (c, p) => ({
    stream: await sendStreamingMessage(c.deps, c.ctx, c.agent, legacySendToV1(p), {
      ...c.stream,
      protocol: PROTOCOL,
    }),
    render: toLegacyStreamResult,
  })),
  'tasks/get': unaryMethod(L.LegacyTaskQuerySchema, Scope.Read, async (c, p) =>
    toLegacyTask(
      await getTask(c.deps, c.ctx, c.agent, {
        id: p.id,
        ...(p.historyLength === undefined ? {} : { historyLength: p.historyLength }),
      }),
    ),
  ),
  'tasks/cancel': unaryMethod(L.LegacyTaskIdSchema, Scope.Cancel, async (c, p) =>
    toLegacyTask(
      await cancelTask(c.deps, c.ctx, c.agent, {
        id: p.id,
        ...(p.metadata === undefined ? {} : { metadata: p.metadata }),
      }),
    ),
  ),
  // 0.3 clients read tasks/resubscribe as SSE whatever happens, as 0.3 servers answered it: an
  // unknown task (or any refusal of the use case) is the stream's one `event: error` frame.
  'tasks/resubscribe': streamMethod(L.LegacyTaskIdSchema, Scope.Read, async (c, p) => ({
    stream: await subscribeToTask(c.deps, c.ctx, c.agent, { id: p.id }, c.stream).catch((err: unknown) =>
      failedStream(p.id, err),
    ),
    render: toLegacyStreamResult,
  })),
  // A config without an id gets the task's id, as 0.3 servers did (so get without an id finds it).
  'tasks/pushNotificationConfig/set': unaryMethod(
    L.LegacySetPushConfigSchema,
    Scope.Webhooks,
    async (c, p) => {
      const config = legacyPushConfigToV1(p.pushNotificationConfig, 'pushNotificationConfig');
      const created = await createPushConfig(
        c.deps,
        c.ctx,
        c.agent,
        { ...config, id: config.id ?? p.taskId, taskId: p.taskId },
        PROTOCOL,
      );
      return toLegacyPushConfig(created);
    },
  ),
  // Without pushNotificationConfigId: the config whose id is the task id, else the first one. With
  // an id that names no config: the task's default config (the one a set without id created), as
  // 0.3 clients that name it by a placeholder ("default") expect; otherwise not found.
  'tasks/pushNotificationConfig/get': unaryMethod(
    L.LegacyGetPushConfigSchema,
    Scope.Webhooks,
    async (c, p) => {
      const configs = await allConfigs(c, p.id);
      const named = p.pushNotificationConfigId;
      if (named !== undefined && named !== p.id && !configs.some((x) => x.id === named)) {
        const fallback = configs.find((x) => x.id === p.id);
        if (fallback) return toLegacyPushConfig(fallback);
      }
      if (named !== undefined) {
        const ref = { taskId: p.id, id: named };
        return toLegacyPushConfig(await getPushConfig(c.deps, c.ctx, c.agent, ref));
      }
      const found = configs.find((x) => x.id === p.id) ?? configs[0];
      if (!found) throw new TaskNotFoundError(p.id);
      return toLegacyPushConfig(found);
    },
  ),
  'tasks/pushNotificationConfig/list': unaryMethod(L.LegacyTaskIdSchema, Scope.Webhooks, async (c, p) =>
    (await allConfigs(c, p.id)).map(toLegacyPushConfig),
  ),
  'tasks/pushNotificationConfig/delete': unaryMethod(
    L.LegacyDeletePushConfigSchema,
    Scope.Webhooks,
    async (c, p) => {
      await deletePushConfig(c.deps, c.ctx, c.agent, { taskId: p.id, id: p.pushNotificationConfigId });
      return null;
    },
  ),
  'agent/getAuthenticatedExtendedCard': unaryMethod(L.LegacyNoParamsSchema, null, extendedCard),
});

/** A stream whose only outcome is `err`: the SSE session writes it as an `event: error` frame. */
function failedStream(taskId: string, err: unknown): TaskStream {
  return {
    taskId,
    // biome-ignore lint/correctness/useYield: it fails before its first frame, by design
    async *frames() {
      throw err;
    },
  };
}
