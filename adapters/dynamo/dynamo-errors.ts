/** Classifies DynamoDB failures: condition failures (callers map them), retryable ones, the rest. */
import { RetryableError } from '../../core/errors';

const RETRYABLE_NAMES: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'TransactionInProgressException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** Cancellation reason codes that mean "try again", not "your condition was false". */
const RETRYABLE_REASONS: ReadonlySet<string> = new Set([
  'TransactionConflict',
  'ProvisionedThroughputExceeded',
  'ThrottlingError',
]);

const NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

interface AwsLikeError {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number };
  CancellationReasons?: { Code?: string }[];
}

const fields = (err: unknown): AwsLikeError => (typeof err === 'object' && err !== null ? err : {});

export const isConditionFailure = (err: unknown): boolean =>
  fields(err).name === 'ConditionalCheckFailedException';

/** The reason code per transaction item, or undefined when err is not a cancelled transaction. */
export function cancellationCodes(err: unknown): string[] | undefined {
  const e = fields(err);
  if (e.name !== 'TransactionCanceledException') return undefined;
  return (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

export function isRetryable(err: unknown): boolean {
  const e = fields(err);
  if (typeof e.name === 'string' && RETRYABLE_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  const codes = cancellationCodes(err);
  if (codes?.some((c) => RETRYABLE_REASONS.has(c)) && !codes.includes('ConditionalCheckFailed')) return true;
  const status = e.$metadata?.httpStatusCode;
  return e.$fault === 'server' || (status !== undefined && status >= 500);
}

/** RetryableError for transient failures (with the original as cause); anything else unchanged. */
export const storeError = (err: unknown): unknown =>
  isRetryable(err)
    ? new RetryableError(`DynamoDB: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
    : err;
