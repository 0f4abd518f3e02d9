/**
 * How a run ends when it does not end normally, and which failures are worth a retry.
 * Retryable (the message goes back to the queue; the next delivery resumes from the last
 * checkpoint): RetryableError from our adapters, and throttling, timeouts, network failures and
 * 5xx of anything else the agent calls (Bedrock, the rates API). Everything else is permanent:
 * the task ends FAILED with a safe message and the message is acknowledged.
 */
import { RetryableError } from '../../core/errors';

/** Another writer ended the task while this run was appending. */
export class TaskEndedElsewhereError extends Error {
  override readonly name = 'TaskEndedElsewhereError';
  static readonly code = 'ERR_TASK_ENDED_ELSEWHERE';
  readonly code = TaskEndedElsewhereError.code;
}

/** The task was canceled: the run ends it CANCELED. */
export class RunCanceledError extends Error {
  override readonly name = 'RunCanceledError';
  static readonly code = 'ERR_RUN_CANCELED';
  readonly code = RunCanceledError.code;
}

/** Another worker holds the lease now: this run stops writing. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  static readonly code = 'ERR_LEASE_LOST';
  readonly code = LeaseLostError.code;
}

/** A permanent failure whose message is safe to show the client. */
export class PermanentRunError extends Error {
  override readonly name = 'PermanentRunError';
  static readonly code = 'ERR_PERMANENT_RUN';
  readonly code = PermanentRunError.code;
}

const RETRYABLE_NAMES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'ServiceUnavailableException',
  'ServiceUnavailable',
  'InternalServerException',
  'InternalServerError',
  'InternalFailure',
  'ModelTimeoutException',
  'ModelNotReadyException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  status?: unknown;
  $retryable?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  cause?: unknown;
}

/** What a run keeps in hand when it stops waiting: a last call, its commits, the hand-over. */
export const CONTINUE_MARGIN_MS = 45_000;

/**
 * The run stopped in time, before the invocation's end, with nothing lost: its progress is in the
 * log. runTask acknowledges the message and enqueues a fresh one for the task after
 * `delaySeconds`, so a long wait never uses up the message's receive count (and never reaches the
 * DLQ). Without a way to enqueue it is an ordinary retryable failure.
 */
export class RunContinuesLaterError extends RetryableError {
  override readonly name = 'RunContinuesLaterError';
  static override readonly code = 'ERR_RUN_CONTINUES_LATER';
  override readonly code = RunContinuesLaterError.code;
  constructor(
    readonly delaySeconds: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** Looks through `cause` chains (LangChain and fetch wrap the original error). */
export function isRetryableFailure(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 5) return false;
  if (err instanceof RetryableError) return true;
  const e = err as ErrorShape;
  if (typeof e.name === 'string' && RETRYABLE_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && RETRYABLE_CODES.has(e.code)) return true;
  if (e.$retryable !== undefined && e.$retryable !== false) return true;
  if (e.$fault === 'server') return true;
  const status = typeof e.status === 'number' ? e.status : e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  return isRetryableFailure(e.cause, depth + 1);
}

/** The status message a permanent failure leaves on the task: never internal details. */
export function safeFailureMessage(err: unknown): string {
  if (err instanceof PermanentRunError) return err.message;
  if (err instanceof Error && err.name === 'CheckpointTooLargeError') {
    return "The agent's state for this task grew beyond the storage limit";
  }
  if (err instanceof Error && err.name === 'GraphRecursionError') {
    return 'The agent took too many steps without finishing';
  }
  return 'The agent failed while working on this task';
}
