import type { GetTaskRequest, Task } from '../a2a/types';
import type { RequestContext } from '../context';
import { toTask } from '../task-record';
import type { AgentScope, UseCaseDeps } from './deps';
import { loadTask } from './load-task';

export async function getTask(
  deps: Pick<UseCaseDeps, 'store'>,
  ctx: RequestContext,
  scope: AgentScope,
  req: GetTaskRequest,
): Promise<Task> {
  const record = await loadTask(deps.store, ctx, scope, req.id);
  return toTask(record, req.historyLength === undefined ? {} : { historyLength: req.historyLength });
}
