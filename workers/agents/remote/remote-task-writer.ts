/**
 * Appends a remote agent's events to the local task's log, and records the remote task on the
 * local one (metadata `a2a-gateway/remote`, see core/remote-agents.ts) in the same commit as the
 * first event that follows the remote's answer. Each commit is version-conditional; on a conflict
 * it re-reads the task and tries again (a task that ended meanwhile stops the run). A binding with
 * no event to carry it goes with a WORKING status.
 */
import { isTerminal, TaskState } from '../../../core/a2a/task-state';
import type { Message, TaskStatus } from '../../../core/a2a/types';
import type { RequestContext } from '../../../core/context';
import { RetryableError } from '../../../core/errors';
import { type Clock, isoAt } from '../../../core/ports/clock';
import type { TaskReader, TaskWriter } from '../../../core/ports/task-records';
import { REMOTE_TASK_METADATA_KEY, type RemoteBinding } from '../../../core/remote-agents';
import {
  applyEvents,
  IllegalTransitionError,
  type TaskEvent,
  type TaskRecord,
} from '../../../core/task-record';
import { tryRunCommit } from '../../agent-worker/run-commit';
import { TaskEndedElsewhereError } from '../../agent-worker/run-errors';
import type { LogMessage, RemoteLogEvent } from './remote-event-mapper';

export interface RemoteTaskWriterDeps {
  store: Pick<TaskReader, 'get'> & Pick<TaskWriter, 'commit'>;
  clock: Clock;
  settings: { retentionSeconds: number };
}

const MAX_CONFLICTS = 5;

export class RemoteTaskWriter {
  constructor(
    private readonly deps: RemoteTaskWriterDeps,
    private readonly ctx: RequestContext,
    private current: TaskRecord,
  ) {}

  get task(): TaskRecord {
    return this.current;
  }

  async append(events: readonly RemoteLogEvent[], binding?: RemoteBinding): Promise<void> {
    if (events.length === 0 && binding === undefined) return;
    const batch: readonly RemoteLogEvent[] =
      events.length > 0 ? events : [{ kind: 'status', state: TaskState.Working }];
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const base = this.current;
      const now = this.deps.clock.now();
      let next: TaskRecord;
      let stored: ReturnType<typeof applyEvents>['stored'];
      try {
        ({ next, stored } = applyEvents(
          base,
          batch.map((e) => this.toTaskEvent(e, now)),
          isoAt(now),
        ));
      } catch (err) {
        if (err instanceof IllegalTransitionError && isTerminal(base.status.state))
          throw new TaskEndedElsewhereError();
        throw err;
      }
      if (binding) next.metadata = { ...base.metadata, [REMOTE_TASK_METADATA_KEY]: { ...binding } };
      if (isTerminal(next.status.state)) {
        next.expiresAt = Math.floor(now / 1000) + this.deps.settings.retentionSeconds;
      }
      // On a refusal that stops for input, the runner also cancels the remote task (run-commit.ts).
      const tried = await tryRunCommit(this.deps.store, this.ctx, base, next, stored);
      this.current = tried.task;
      if (tried.committed) return;
    }
    throw new RetryableError(`Task ${this.current.id}: too many concurrent writers`);
  }

  private toTaskEvent(event: RemoteLogEvent, now: number): TaskEvent {
    switch (event.kind) {
      case 'status': {
        const status: TaskStatus = { state: event.state, timestamp: isoAt(now) };
        if (event.message) status.message = this.agentMessage(event.message);
        return { kind: 'status', status };
      }
      case 'artifact': {
        const e: TaskEvent = { kind: 'artifact', artifact: event.artifact };
        if (event.append !== undefined) e.append = event.append;
        if (event.lastChunk !== undefined) e.lastChunk = event.lastChunk;
        return e;
      }
      case 'message':
        return { kind: 'message', message: this.agentMessage(event.message) };
    }
  }

  private agentMessage(m: LogMessage): Message {
    return {
      messageId: m.messageId,
      role: 'ROLE_AGENT',
      parts: m.parts,
      taskId: this.current.id,
      contextId: this.current.contextId,
    };
  }
}
