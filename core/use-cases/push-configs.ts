/** Push notification config CRUD. Delivery is done by the push dispatcher, from the event log. */
import type {
  ListTaskPushConfigsRequest,
  ListTaskPushConfigsResponse,
  TaskPushConfigRef,
  TaskPushNotificationConfig,
} from '../a2a/types';
import type { RequestContext } from '../context';
import { PushNotificationNotSupportedError, TaskNotFoundError } from '../errors';
import type { ProtocolVersion } from '../task-record';
import type { AgentScope, UseCaseDeps } from './deps';
import { loadTask } from './load-task';
import { buildPushConfig, presentPushConfig } from './push-config-record';

function assertSupported(deps: Pick<UseCaseDeps, 'settings'>): void {
  if (!deps.settings.pushNotifications) throw new PushNotificationNotSupportedError();
}

export async function createPushConfig(
  deps: UseCaseDeps,
  ctx: RequestContext,
  scope: AgentScope,
  req: TaskPushNotificationConfig,
  protocol: ProtocolVersion,
): Promise<TaskPushNotificationConfig> {
  assertSupported(deps);
  const task = await loadTask(deps.store, ctx, scope, req.taskId);
  const stored = await buildPushConfig(deps, ctx, req.taskId, req, protocol, 'params');
  // A config added to an existing task starts with the task as it is now, then what follows.
  stored.delivery = { lastDeliveredSeq: task.version, consecutiveFailures: 0, snapshotPending: true };
  await deps.store.putPushConfig(ctx, req.taskId, stored, deps.settings.maxPushConfigsPerTask);
  await deps.push?.taskChanged(ctx, req.taskId);
  return presentPushConfig(ctx, stored);
}

export async function getPushConfig(
  deps: UseCaseDeps,
  ctx: RequestContext,
  scope: AgentScope,
  req: TaskPushConfigRef,
): Promise<TaskPushNotificationConfig> {
  assertSupported(deps);
  await loadTask(deps.store, ctx, scope, req.taskId);
  const stored = await deps.store.getPushConfig(ctx, req.taskId, req.id);
  // The spec has no config-not-found error: an unknown config id is TaskNotFound.
  if (!stored) throw new TaskNotFoundError(req.taskId);
  return presentPushConfig(ctx, stored);
}

export async function listPushConfigs(
  deps: UseCaseDeps,
  ctx: RequestContext,
  scope: AgentScope,
  req: ListTaskPushConfigsRequest,
): Promise<ListTaskPushConfigsResponse> {
  assertSupported(deps);
  await loadTask(deps.store, ctx, scope, req.taskId);
  const all = await deps.store.listPushConfigs(ctx, req.taskId);
  const after = req.pageToken ?? '';
  const rest = after === '' ? all : all.filter((c) => (c.config.id ?? '') > after);
  const page = rest.slice(0, req.pageSize ?? 100);
  const last = page[page.length - 1];
  return {
    configs: page.map((c) => presentPushConfig(ctx, c)),
    nextPageToken: rest.length > page.length && last ? (last.config.id ?? '') : '',
  };
}

export async function deletePushConfig(
  deps: UseCaseDeps,
  ctx: RequestContext,
  scope: AgentScope,
  req: TaskPushConfigRef,
): Promise<void> {
  assertSupported(deps);
  await loadTask(deps.store, ctx, scope, req.taskId);
  await deps.store.deletePushConfig(ctx, req.taskId, req.id);
}
