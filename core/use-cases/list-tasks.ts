import type { ListTasksRequest, ListTasksResponse } from '../a2a/types';
import type { RequestContext } from '../context';
import type { ListTasksQuery } from '../ports/task-store';
import { type TaskView, toTask } from '../task-record';
import type { AgentScope, UseCaseDeps } from './deps';

export const DEFAULT_PAGE_SIZE = 50;
/** Well under Lambda's 6 MB response limit, with room for the envelope and the 0.3 translation. */
export const DEFAULT_LIST_PAGE_BYTES = 4 * 1024 * 1024;

/**
 * The caller's tasks on this agent, newest status first, in cursor pages bounded by count and by
 * bytes: a page ends early (with a nextPageToken) before the task that would take its JSON past
 * the budget; a single task over the budget comes back alone on its page.
 */
export async function listTasks(
  deps: Pick<UseCaseDeps, 'store' | 'settings' | 'listGate'>,
  ctx: RequestContext,
  scope: AgentScope,
  req: ListTasksRequest,
): Promise<ListTasksResponse> {
  const pageSize = req.pageSize ?? DEFAULT_PAGE_SIZE;
  const view: TaskView = {
    includeArtifacts: req.includeArtifacts === true,
    ...(req.historyLength === undefined ? {} : { historyLength: req.historyLength }),
  };
  const maxBytes = deps.settings.listPageMaxBytes ?? DEFAULT_LIST_PAGE_BYTES;
  const query: ListTasksQuery = { agentId: scope.agentId, pageSize, view, maxBytes };
  if (req.contextId !== undefined) query.contextId = req.contextId;
  if (req.status !== undefined) query.status = req.status;
  if (req.statusTimestampAfter !== undefined) query.statusTimestampAfter = req.statusTimestampAfter;
  if (req.pageToken !== undefined && req.pageToken !== '') query.pageToken = req.pageToken;
  const read = async (): Promise<ListTasksResponse> => {
    const page = await deps.store.list(ctx, query);
    return {
      tasks: page.tasks.map((t) => toTask(t, view)),
      nextPageToken: page.nextPageToken,
      pageSize,
      totalSize: page.totalSize,
    };
  };
  return deps.listGate ? deps.listGate.run(read) : read();
}
