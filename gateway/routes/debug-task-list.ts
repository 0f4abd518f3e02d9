/**
 * GET /debug/tasks (local mode only): the caller's most recently updated tasks across every agent
 * its token may use, newest status first, at most `limit` (default 20, at most 100). The checks of
 * ListTasks: a valid token (401), tasks:read (403), the token's tenant only (the store is
 * tenant-scoped by its ctx) and only agents its `agent:<id>` scopes allow.
 */
import type { FastifyInstance } from 'fastify';
import { Scope } from '../../core/scopes';
import type { TaskRecord } from '../../core/task-record';
import { reachableAgents } from '../cards/extended-card';
import type { GatewayDeps } from '../gateway-deps';
import { bearerPrincipal } from './bearer-auth';

export const DEBUG_TASKS_PATH = '/debug/tasks';
export const DEBUG_TASKS_DEFAULT = 20;
export const DEBUG_TASKS_MAX = 100;

export function registerDebugTaskList(app: FastifyInstance, deps: GatewayDeps): void {
  app.get<{ Querystring: { limit?: string } }>(DEBUG_TASKS_PATH, async (request, reply) => {
    const principal = await bearerPrincipal(deps, request, reply, Scope.Read);
    if (!principal) return reply;
    const raw = request.query.limit;
    const limit = raw === undefined ? DEBUG_TASKS_DEFAULT : Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > DEBUG_TASKS_MAX)
      return reply
        .code(400)
        .send({ error: 'bad_request', message: `limit must be an integer from 1 to ${DEBUG_TASKS_MAX}` });
    const ctx = { principal, requestId: String(request.id) };
    const { store, agents } = deps.useCases;
    const view = { includeArtifacts: false, historyLength: 0 };
    // Each agent's first page is its newest `limit` tasks; the newest `limit` of their union are
    // the caller's newest overall.
    const pages = await Promise.all(
      reachableAgents(agents, principal, deps.cards).map((a) =>
        store.list(ctx, { agentId: a.id, pageSize: limit, view }),
      ),
    );
    const tasks = pages
      .flatMap((p) => p.tasks)
      .sort((a, b) => updatedAt(b).localeCompare(updatedAt(a)))
      .slice(0, limit);
    return {
      limit,
      tasks: tasks.map((t) => ({
        id: t.id,
        contextId: t.contextId,
        agentId: t.agentId,
        state: t.status.state,
        createdAt: t.createdAt,
        updatedAt: updatedAt(t),
      })),
    };
  });
}

const updatedAt = (t: TaskRecord): string => t.status.timestamp ?? t.createdAt;
