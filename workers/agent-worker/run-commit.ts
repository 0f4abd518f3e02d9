/**
 * One try of a run's version-conditional commit, for the two writers of a run's events (the task
 * log of local agents, task-log.ts, and the forwarding run's remote-task-writer.ts). A commit
 * that stops the turn for input is conditional on no cancel request: a cancel the run has not
 * read wins (RunCanceledError), instead of a task left waiting for input with the flag set.
 * Another writer first: the task as it is now, for the caller to rebuild on and try again; a
 * task that ended meanwhile stops the run (TaskEndedElsewhereError).
 */
import { isInterrupted, isTerminal } from '../../core/a2a/task-state';
import type { RequestContext } from '../../core/context';
import { VersionConflictError } from '../../core/errors';
import type { TaskReader, TaskWriter } from '../../core/ports/task-records';
import type { StoredEvent, TaskRecord } from '../../core/task-record';
import { RunCanceledError, TaskEndedElsewhereError } from './run-errors';

export type RunCommitStore = Pick<TaskReader, 'get'> & Pick<TaskWriter, 'commit'>;

export async function tryRunCommit(
  store: RunCommitStore,
  ctx: RequestContext,
  base: TaskRecord,
  next: TaskRecord,
  events: StoredEvent[],
): Promise<{ committed: boolean; task: TaskRecord }> {
  const stopsForInput = isInterrupted(next.status.state);
  try {
    const task = await store.commit(ctx, {
      taskId: base.id,
      expectedVersion: base.version,
      next,
      events,
      ...(stopsForInput ? { unlessCancelRequested: true } : {}),
    });
    return { committed: true, task };
  } catch (err) {
    if (!(err instanceof VersionConflictError)) throw err;
    const latest = await store.get(ctx, base.id);
    if (!latest || isTerminal(latest.status.state)) throw new TaskEndedElsewhereError();
    if (stopsForInput && latest.cancelRequested) throw new RunCanceledError();
    return { committed: false, task: latest };
  }
}
