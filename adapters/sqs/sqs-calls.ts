/**
 * How SQS failures surface: throttling, timeouts, network failures and 5xx become RetryableError
 * (after the SDK's own retries); everything else (e.g. ReceiptHandleIsInvalid, QueueDoesNotExist)
 * is rethrown as is.
 */
import { RetryableError } from '../../core/errors';

export async function sqsCall<T>(operation: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (isRetryable(error)) {
      const message = error instanceof Error ? error.message : String(error);
      throw new RetryableError(`SQS ${operation} failed: ${message}`, { cause: error });
    }
    throw error;
  }
}

const RETRYABLE_ERROR_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'KmsThrottled',
  'OverLimit',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ServiceUnavailable',
  'InternalError',
  'InternalFailure',
]);

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

interface AwsErrorShape {
  name?: unknown;
  code?: unknown;
  $retryable?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** Throttling, timeouts, network failures and server-side (5xx) faults. */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, $retryable, $fault, $metadata } = error as AwsErrorShape;
  if ($retryable !== undefined && $retryable !== false) return true;
  if (typeof name === 'string' && RETRYABLE_ERROR_NAMES.has(name)) return true;
  if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code)) return true;
  if ($fault === 'server') return true;
  const status = $metadata?.httpStatusCode;
  return typeof status === 'number' && (status >= 500 || status === 429);
}
