import type { ListTasksRequest, ListTasksResponse } from '../a2a/types';
import type { RequestContext } from '../context';
import type { ListTasksQuery } from '../ports/task-store';
import { toTask } from '../task-record';
import type { AgentScope, UseCaseDeps } from './deps';

export const DEFAULT_PAGE_SIZE = 50;

/** The caller's tasks on this agent, newest status first, in cursor pages. */
export async function listTasks(
  deps: Pick<UseCaseDeps, 'store'>,
  ctx: RequestContext,
  scope: AgentScope,
  req: ListTasksRequest,
): Promise<ListTasksResponse> {
  const pageSize = req.pageSize ?? DEFAULT_PAGE_SIZE;
  const query: ListTasksQuery = { agentId: scope.agentId, pageSize };
  if (req.contextId !== undefined) query.contextId = req.contextId;
  if (req.status !== undefined) query.status = req.status;
  if (req.statusTimestampAfter !== undefined) query.statusTimestampAfter = req.statusTimestampAfter;
  if (req.pageToken !== undefined && req.pageToken !== '') query.pageToken = req.pageToken;
  const page = await deps.store.list(ctx, query);
  const view = {
    includeArtifacts: req.includeArtifacts === true,
    ...(req.historyLength === undefined ? {} : { historyLength: req.historyLength }),
  };
  return {
    tasks: page.tasks.map((t) => toTask(t, view)),
    nextPageToken: page.nextPageToken,
    pageSize,
    totalSize: page.totalSize,
  };
}
