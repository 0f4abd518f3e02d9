/**
 * The forwarding worker's call policy: retries with backoff while a remote agent is unavailable
 * (bounded per call), the best-effort remote cancel, and what a run that ends abnormally ends
 * with. The status messages it writes are ours (never the remote's text):
 * - unavailable after the last attempt: "The remote agent X is unavailable: it ... (gave up ...)";
 * - refused: "The remote agent X refused the request: it ...";
 * - the gateway's own config is wrong: "The gateway is not configured to call agent X; ..." (the
 *   details, such as the secret id, go to the log only);
 * - invalid: "Invalid agent response (INVALID_AGENT_RESPONSE, -32006): the remote agent X ...".
 * A stop (cancel, lost lease, task ended elsewhere) is left to the run's own checks to name; a
 * cancel also cancels the remote task.
 */
import { InvalidAgentResponseError } from '../../../core/errors';
import type { Logger } from '../../../core/ports/logger';
import {
  type RemoteAgentClient,
  RemoteAgentMisconfiguredError,
  RemoteAgentRefusedError,
  RemoteAgentUnavailableError,
} from '../../../core/ports/remote-agent-client';
import type { RunContext } from '../../agent-worker/run-context';
import { CONTINUE_MARGIN_MS, PermanentRunError, RunCanceledError } from '../../agent-worker/run-errors';
import { sleep } from '../sleep';

export interface RemoteRunSettings {
  /** per remote call while the agent is unavailable: attempts, and the backoff between them */
  retry: { attempts: number; baseMs: number; maxMs: number };
  /** GetTask interval: from initialMs, growing by half each time, up to maxMs */
  poll: { initialMs: number; maxMs: number };
  /** a remote task still unsettled after this long (per run) is canceled and the task FAILED */
  maxRunMs: number;
  /** bound on the remote CancelTask call */
  cancelTimeoutMs: number;
  /**
   * a run with less time left than this (Lambda's remaining time) stops waiting on the remote and
   * continues in a fresh work message: more than one remote call and a commit take
   */
  continueMarginMs: number;
}

export const DEFAULT_REMOTE_RUN_SETTINGS: Readonly<RemoteRunSettings> = Object.freeze({
  retry: { attempts: 4, baseMs: 500, maxMs: 8_000 },
  poll: { initialMs: 500, maxMs: 5_000 },
  maxRunMs: 3_600_000,
  cancelTimeoutMs: 3_000,
  continueMarginMs: CONTINUE_MARGIN_MS,
});

/** The remote task did not settle within maxRunMs. */
export class RemoteRunTimedOutError extends Error {
  override readonly name = 'RemoteRunTimedOutError';
  static readonly code = 'ERR_REMOTE_RUN_TIMED_OUT';
  readonly code = RemoteRunTimedOutError.code;
}

export class RemoteCalls {
  constructor(
    private readonly agentId: string,
    private readonly settings: RemoteRunSettings,
    private readonly run: RunContext,
  ) {}

  /** Calls until it answers, retrying unavailability with backoff; the last failure is permanent. */
  async retrying<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call(this.run.signal);
      } catch (err) {
        if (!(err instanceof RemoteAgentUnavailableError) || this.run.signal.aborted) throw err;
        if (attempt >= this.settings.retry.attempts) throw this.unreachable(err, attempt);
        await this.backoff(attempt, err);
      }
    }
  }

  /** Exponential backoff with jitter (half fixed, half random); ends early when the run stops. */
  async backoff(attempt: number, err: Error): Promise<void> {
    const { baseMs, maxMs } = this.settings.retry;
    const cap = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
    this.run.logger.warn(
      { agentId: this.agentId, attempt, reason: err.message },
      'remote agent unavailable; retrying',
    );
    await sleep(cap / 2 + Math.random() * (cap / 2), this.run.signal);
    if (this.run.signal.aborted) throw this.run.signal.reason;
  }

  unreachable(err: Error, attempts: number): PermanentRunError {
    return new PermanentRunError(
      `The remote agent ${this.agentId} is unavailable: it ${err.message} (gave up after ${attempts} attempts)`,
    );
  }

  async cancel(client: RemoteAgentClient, taskId: string): Promise<void> {
    await cancelRemoteTask(() => Promise.resolve(client), {
      agentId: this.agentId,
      taskId,
      timeoutMs: this.settings.cancelTimeoutMs,
      logger: this.run.logger,
    });
  }

  /** What the run ends with; `cancelRemote` runs when the local task is being canceled or timed out. */
  async failure(err: unknown, cancelRemote: () => Promise<void>): Promise<unknown> {
    let cause = err;
    if (this.run.signal.aborted && !(err instanceof PermanentRunError)) {
      try {
        await this.run.checkBetweenSteps();
      } catch (stop) {
        cause = stop;
      }
    }
    if (cause instanceof RunCanceledError || cause instanceof RemoteRunTimedOutError) await cancelRemote();
    if (cause instanceof RemoteRunTimedOutError) return new PermanentRunError(cause.message);
    if (cause instanceof InvalidAgentResponseError) {
      return new PermanentRunError(
        `Invalid agent response (${cause.reason}, -32006): the remote agent ${this.agentId} ${cause.message}`,
      );
    }
    if (cause instanceof RemoteAgentMisconfiguredError) {
      this.run.logger.error(
        { agentId: this.agentId, problem: cause.problem, reason: cause.message },
        'remote agent misconfigured; task failed',
      );
      return new PermanentRunError(
        cause.problem === 'origin'
          ? `The gateway is not configured to call agent ${this.agentId}: its card points outside its configured origins, so its credentials were not sent; an operator must fix its config`
          : `The gateway is not configured to call agent ${this.agentId}; an operator must fix its credentials`,
      );
    }
    if (cause instanceof RemoteAgentRefusedError) {
      return new PermanentRunError(
        `The remote agent ${this.agentId} refused the request: it ${cause.message}`,
      );
    }
    if (cause instanceof RemoteAgentUnavailableError) return this.unreachable(cause, 1);
    return cause;
  }
}

/**
 * Best effort, bounded (getting the client and the call each within `timeoutMs`): a remote that
 * cannot be told is logged, not retried.
 */
export async function cancelRemoteTask(
  client: (signal: AbortSignal) => Promise<RemoteAgentClient>,
  o: { agentId: string; taskId: string; timeoutMs: number; logger: Logger },
): Promise<void> {
  const fields = { agentId: o.agentId, remoteTaskId: o.taskId };
  try {
    const remote = await client(AbortSignal.timeout(o.timeoutMs));
    await remote.cancel(o.taskId, AbortSignal.timeout(o.timeoutMs));
    o.logger.info(fields, 'remote task canceled');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    o.logger.warn({ ...fields, reason }, 'remote cancel failed');
  }
}
