/**
 * The forwarding worker: a task for a remote agent is run by sending the user's message to the
 * remote over A2A (@a2a-js/sdk, through the SSRF guard) and mapping what comes back into the local
 * task's log (remote-event-mapper.ts):
 * - the remote card says it streams: SendStreamingMessage, event by event; a stream that ends or
 *   breaks before the task settles is followed by polling;
 * - otherwise SendMessage (returning at once), then GetTask with a growing interval.
 * The remote task is recorded on the local task (metadata `a2a-gateway/remote`), so:
 * - INPUT_REQUIRED round-trips: the client's follow-up on the local task is sent to the remote
 *   task (its taskId and contextId), and a new local task in the same context reuses the remote
 *   context of an earlier one;
 * - a redelivered run (after a crash) follows the remote task instead of sending again;
 * - cancel: when the run stops because the local task is being canceled, the remote task is
 *   canceled too (best effort, bounded) before the local task ends CANCELED; a task canceled
 *   while no run held it (waiting for input) is canceled remotely by `afterCancel`.
 * Failures: an unreachable remote (down, timeouts, 5xx) is retried with backoff, a bounded number
 * of times per call, then the task ends FAILED; a refusal ends it FAILED; an answer that is not
 * valid A2A ends it FAILED with an InvalidAgentResponse (-32006) reason. Nothing unvalidated is
 * ever appended.
 */
import { isInterrupted, isSettled } from '../../../core/a2a/task-state';
import type { Message, StreamResponse, Task, TaskStatus } from '../../../core/a2a/types';
import { InvalidAgentResponseError } from '../../../core/errors';
import {
  type RemoteAgentClient,
  type RemoteAgentDirectory,
  RemoteAgentUnavailableError,
} from '../../../core/ports/remote-agent-client';
import { type RemoteBinding, readRemoteBinding } from '../../../core/remote-agents';
import type { RunContext } from '../../agent-worker/run-context';
import { RunContinuesLaterError } from '../../agent-worker/run-errors';
import type { AgentRunner, WorkerDeps } from '../../agent-worker/worker-deps';
import { sleep } from '../sleep';
import {
  cancelRemoteTask,
  DEFAULT_REMOTE_RUN_SETTINGS,
  RemoteCalls,
  type RemoteRunSettings,
  RemoteRunTimedOutError,
} from './remote-calls';
import {
  artifactEvent,
  artifactEvents,
  derivedId,
  localState,
  type RemoteLogEvent,
  statusEvents,
} from './remote-event-mapper';
import { RemoteTaskWriter } from './remote-task-writer';

export type { RemoteRunSettings } from './remote-calls';

export function createRemoteRunner(
  agentId: string,
  directory: RemoteAgentDirectory,
  settings: Partial<RemoteRunSettings> = {},
): AgentRunner {
  const s = { ...DEFAULT_REMOTE_RUN_SETTINGS, ...settings };
  return {
    id: agentId,
    run: (run, deps) => new RemoteRun(agentId, directory, s, run, deps).execute(),
    async afterCancel(task, logger) {
      const taskId = readRemoteBinding(task)?.taskId;
      if (taskId === undefined) return;
      await cancelRemoteTask((signal) => directory.client(agentId, signal), {
        agentId,
        taskId,
        timeoutMs: s.cancelTimeoutMs,
        logger,
      });
    },
  };
}

class RemoteRun {
  private readonly writer: RemoteTaskWriter;
  private binding: RemoteBinding | undefined;
  private bindingChanged = false;
  private client: RemoteAgentClient | undefined;
  private readonly started: number;
  private readonly calls: RemoteCalls;

  constructor(
    private readonly agentId: string,
    private readonly directory: RemoteAgentDirectory,
    private readonly settings: RemoteRunSettings,
    private readonly run: RunContext,
    private readonly deps: WorkerDeps,
  ) {
    this.writer = new RemoteTaskWriter(deps, run.ctx, run.log.task);
    this.binding = readRemoteBinding(run.log.task);
    const turnStart = this.binding?.turn === run.log.turn ? this.binding.turnStartedAt : undefined;
    this.started = turnStart ?? deps.clock.now();
    this.calls = new RemoteCalls(agentId, settings, run);
  }

  async execute(): Promise<void> {
    try {
      const client = await this.calls.retrying((signal) => this.directory.client(this.agentId, signal));
      this.client = client;
      const bound = this.binding;
      if (bound?.taskId !== undefined && bound.turn === this.run.log.turn) {
        // A redelivery of a turn that already reached the remote: follow its task.
        return await this.poll(bound.taskId);
      }
      const outgoing = await this.outgoing();
      if (client.streaming) await this.streamFrom(client, outgoing);
      else await this.sendThenPoll(client, outgoing);
    } catch (err) {
      throw await this.calls.failure(err, () => this.cancelRemote());
    }
  }

  /** The user's message as the remote sees it: its own id (stable per local task), remote ids. */
  private async outgoing(): Promise<Message> {
    const local = this.writer.task;
    const out: Message = {
      messageId: derivedId(local.id, `out\u0000${this.run.message.messageId}`),
      role: 'ROLE_USER',
      parts: this.run.message.parts,
    };
    const bound = this.binding;
    if (bound?.taskId !== undefined) {
      out.taskId = bound.taskId;
      if (bound.contextId !== undefined) out.contextId = bound.contextId;
      return out;
    }
    const contextId = await this.siblingContext();
    if (contextId !== undefined) out.contextId = contextId;
    return out;
  }

  /** The remote context of an earlier task of this agent in the same local context, if any. */
  private async siblingContext(): Promise<string | undefined> {
    const local = this.writer.task;
    try {
      const page = await this.deps.store.list(this.run.ctx, {
        agentId: local.agentId,
        contextId: local.contextId,
        pageSize: 20,
      });
      return page.tasks.map((t) => readRemoteBinding(t)?.contextId).find((c) => c !== undefined);
    } catch (err) {
      this.run.logger.warn({ err }, 'could not look up the remote context; the remote starts a new one');
      return undefined;
    }
  }

  private async sendThenPoll(client: RemoteAgentClient, outgoing: Message): Promise<void> {
    const result = await this.calls.retrying((signal) => client.send(outgoing, signal));
    if ('message' in result) return this.directReply(result.message);
    if (await this.applySnapshot(result.task)) return;
    await this.poll(result.task.id);
  }

  private async streamFrom(client: RemoteAgentClient, outgoing: Message): Promise<void> {
    const deadline = this.deadlineSignal();
    const signal = deadline ? AbortSignal.any([this.run.signal, deadline]) : this.run.signal;
    for (let attempt = 1; ; attempt++) {
      let received = false;
      try {
        for await (const event of client.stream(outgoing, signal)) {
          received = true;
          if (await this.apply(event)) return;
        }
        break;
      } catch (err) {
        if (deadline?.aborted && !this.run.signal.aborted) throw this.continueLater(1);
        if (!(err instanceof RemoteAgentUnavailableError) || this.run.signal.aborted) throw err;
        if (received) {
          this.run.logger.warn({ reason: err.message }, 'remote stream broke; polling the remote task');
          break;
        }
        if (attempt >= this.settings.retry.attempts) throw this.calls.unreachable(err, attempt);
        await this.calls.backoff(attempt, err);
      }
    }
    if (deadline?.aborted && !this.run.signal.aborted) throw this.continueLater(1);
    const taskId = this.binding?.taskId;
    if (taskId === undefined || this.binding?.turn !== this.run.log.turn) {
      throw new InvalidAgentResponseError('ended its stream before it named a task');
    }
    await this.poll(taskId);
  }

  /** One stream event; true once the local task has settled. */
  private async apply(event: StreamResponse): Promise<boolean> {
    if ('task' in event) return this.applySnapshot(event.task);
    if ('statusUpdate' in event) {
      const u = event.statusUpdate;
      this.bind(u.taskId, u.contextId);
      return this.commit(this.statusOf(u.status));
    }
    if ('artifactUpdate' in event) {
      const u = event.artifactUpdate;
      this.bind(u.taskId, u.contextId);
      return this.commit([artifactEvent(u)]);
    }
    if (this.binding?.taskId === undefined) {
      await this.directReply(event.message);
      return true;
    }
    const message = {
      messageId: derivedId(this.writer.task.id, event.message.messageId),
      parts: event.message.parts,
    };
    return this.commit([{ kind: 'status', state: this.writer.task.status.state, message }]);
  }

  private async poll(taskId: string): Promise<void> {
    const client = this.client as RemoteAgentClient;
    let delay = this.settings.poll.initialMs;
    for (;;) {
      if (this.run.timeLeftMs() - delay < this.settings.continueMarginMs)
        throw this.continueLater(delay / 1000);
      await sleep(delay, this.run.signal);
      if (this.run.signal.aborted) throw this.run.signal.reason;
      if (this.deps.clock.now() - this.started > this.settings.maxRunMs) {
        throw new RemoteRunTimedOutError(
          `The remote agent ${this.agentId} did not finish within ${Math.round(this.settings.maxRunMs / 1000)} s`,
        );
      }
      const task = await this.calls.retrying((signal) => client.getTask(taskId, signal));
      if (await this.applySnapshot(task)) return;
      delay = Math.min(this.settings.poll.maxMs, Math.ceil(delay * 1.5));
    }
  }

  /** Aborts a stream while there is still time to commit and continue in a fresh message. */
  private deadlineSignal(): AbortSignal | undefined {
    const left = this.run.timeLeftMs() - this.settings.continueMarginMs;
    return Number.isFinite(left) ? AbortSignal.timeout(Math.max(0, left)) : undefined;
  }

  private continueLater(delaySeconds: number): RunContinuesLaterError {
    const taskId = this.binding?.taskId ?? 'not yet named';
    return new RunContinuesLaterError(
      Math.min(900, Math.max(1, Math.ceil(delaySeconds))),
      `the invocation ends soon; the remote task ${taskId} is followed in a fresh one`,
    );
  }

  private applySnapshot(task: Task): Promise<boolean> {
    this.bind(task.id, task.contextId);
    return this.commit([...artifactEvents(this.writer.task, task), ...this.statusOf(task.status)]);
  }

  /**
   * The status events for a remote status. After a follow-up went out, the remote may still show
   * the question that was already forwarded (its first snapshot of the new turn): that is not a
   * new question, and is skipped. A new question is remembered (askedAt) for the next turn.
   */
  private statusOf(status: TaskStatus): RemoteLogEvent[] {
    if (!isInterrupted(localState(status.state))) return statusEvents(this.writer.task, status);
    const local = this.writer.task;
    const askedBefore =
      (status.message !== undefined &&
        local.history.some((m) => m.messageId === derivedId(local.id, status.message?.messageId ?? ''))) ||
      (status.timestamp !== undefined && status.timestamp === this.binding?.askedAt);
    if (askedBefore) return [];
    if (this.binding && status.timestamp !== undefined) {
      this.binding = { ...this.binding, askedAt: status.timestamp };
      this.bindingChanged = true;
    }
    return statusEvents(local, status);
  }

  private async directReply(message: Message): Promise<void> {
    this.binding = { localTaskId: this.writer.task.id, agentId: this.agentId, turn: this.run.log.turn };
    this.bindingChanged = true;
    const messageId = derivedId(this.writer.task.id, message.messageId);
    await this.commit([{ kind: 'message', message: { messageId, parts: message.parts } }]);
  }

  /** Records the remote task; an event about another task (or context) is not valid A2A. */
  private bind(taskId: string, contextId: string): void {
    const bound = this.binding;
    if (bound?.taskId !== undefined && bound.taskId !== taskId) {
      throw new InvalidAgentResponseError('answered about another task than the one it was asked about');
    }
    if (bound?.taskId !== undefined && bound.contextId !== undefined && bound.contextId !== contextId) {
      throw new InvalidAgentResponseError('moved the task to another context');
    }
    if (bound?.taskId === taskId && bound.contextId === contextId && bound.turn === this.run.log.turn) return;
    const local = this.writer.task;
    const binding: RemoteBinding = {
      localTaskId: local.id,
      agentId: this.agentId,
      taskId,
      contextId,
      turn: this.run.log.turn,
    };
    if (bound?.askedAt !== undefined) binding.askedAt = bound.askedAt;
    binding.turnStartedAt =
      bound?.turn === this.run.log.turn ? (bound.turnStartedAt ?? this.started) : this.started;
    this.binding = binding;
    this.bindingChanged = true;
  }

  private async cancelRemote(): Promise<void> {
    const taskId = this.binding?.taskId;
    if (taskId !== undefined && this.client !== undefined) await this.calls.cancel(this.client, taskId);
  }

  /** Appends (after the run's checks); true once the local task has settled. */
  private async commit(events: readonly RemoteLogEvent[]): Promise<boolean> {
    if (events.length > 0 || this.bindingChanged) {
      await this.run.checkBetweenSteps();
      await this.writer.append(events, this.bindingChanged ? this.binding : undefined);
      this.bindingChanged = false;
    }
    return isSettled(this.writer.task.status.state);
  }
}
