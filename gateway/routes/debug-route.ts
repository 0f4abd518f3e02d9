/**
 * GET /debug/tasks/{id} (local mode only): a task's event log with seq and timestamps, its
 * control fields and each push config's delivery state, so a developer sees what happened
 * without a database client. The same checks as GetTask: a valid token (401), the scope
 * tasks:read (403), and a task of the token's tenant on an agent its `agent:<id>` scopes allow;
 * any other task answers 404 like an unknown one. Push credentials are never shown.
 */
import type { FastifyInstance } from 'fastify';
import { mayUseAgent, Scope } from '../../core/scopes';
import type { TaskEvent } from '../../core/task-record';
import type { GatewayDeps } from '../gateway-deps';
import { bearerPrincipal } from './bearer-auth';
import { registerDebugTaskList } from './debug-task-list';

export const DEBUG_TASK_PATH = '/debug/tasks/:id';

export function registerDebugRoute(app: FastifyInstance, deps: GatewayDeps): void {
  registerDebugTaskList(app, deps);
  app.get<{ Params: { id: string } }>(DEBUG_TASK_PATH, async (request, reply) => {
    const principal = await bearerPrincipal(deps, request, reply, Scope.Read);
    if (!principal) return reply;
    const ctx = { principal, requestId: String(request.id) };
    const { store } = deps.useCases;
    const task = await store.get(ctx, request.params.id);
    // A task on an agent the token may not use is as unknown as another tenant's.
    if (!task || !mayUseAgent(principal.scopes, task.agentId))
      return reply.code(404).send({ error: 'task not found' });
    const [events, configs] = await Promise.all([
      store.readEvents(ctx, task.id, 0),
      store.listPushConfigs(ctx, task.id),
    ]);
    return {
      task: {
        id: task.id,
        contextId: task.contextId,
        agentId: task.agentId,
        state: task.status.state,
        version: task.version,
        createdAt: task.createdAt,
        lease: task.lease ?? null,
        cancelRequested: task.cancelRequested === true,
        hasPush: task.hasPush === true,
        expiresAt: task.expiresAt ?? null,
        traceparent: task.traceparent ?? null,
      },
      events: events.map((e) => ({ seq: e.seq, at: e.at, ...summary(e.event) })),
      pushConfigs: configs.map((c) => ({
        id: c.config.id,
        url: c.config.url,
        protocol: c.protocol,
        delivery: c.delivery ?? null,
      })),
    };
  });
}

function summary(event: TaskEvent): Record<string, unknown> {
  switch (event.kind) {
    case 'status':
      return {
        kind: 'status',
        state: event.status.state,
        ...(event.status.message ? { message: event.status.message.parts } : {}),
      };
    case 'artifact':
      return {
        kind: 'artifact',
        artifactId: event.artifact.artifactId,
        append: event.append ?? false,
        lastChunk: event.lastChunk ?? false,
        parts: event.artifact.parts.length,
      };
    case 'message':
      return { kind: 'message', role: event.message.role, parts: event.message.parts.length };
  }
}
