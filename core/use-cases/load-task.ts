import type { RequestContext } from '../context';
import { TaskNotFoundError } from '../errors';
import type { TaskReader } from '../ports/task-records';
import type { TaskRecord } from '../task-record';
import type { AgentScope } from './deps';

/**
 * Reads a task the caller may see: same tenant (by key) and same agent endpoint. Unknown,
 * foreign and other-agent tasks all give the same TaskNotFoundError, so existence never leaks.
 */
export async function loadTask(
  store: Pick<TaskReader, 'get'>,
  ctx: RequestContext,
  scope: AgentScope,
  taskId: string,
): Promise<TaskRecord> {
  const task = await store.get(ctx, taskId);
  if (!task || task.agentId !== scope.agentId) throw new TaskNotFoundError(taskId);
  return task;
}
