/**
 * The in-process queue's request checks, with SQS's limits and error names (in-process-queue.ts):
 * parameter ranges, message size and attributes, unknown receipt handles.
 */

const MAX_MESSAGE_BYTES = 262_144;
const MAX_ATTRIBUTES = 10;

/** Same name as the SQS error, so callers can treat both queues alike. */
export class QueueRequestError extends Error {
  constructor(
    readonly code: 'InvalidParameterValue' | 'ReceiptHandleIsInvalid',
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export function checkRange(parameter: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new QueueRequestError(
      'InvalidParameterValue',
      `Value ${value} for parameter ${parameter} is invalid. Reason: must be between ${min} and ${max}.`,
    );
  }
  return value;
}

export function checkMessage(body: string, attributes: Record<string, string>): void {
  if (body.length === 0)
    throw new QueueRequestError('InvalidParameterValue', 'The message body must not be empty');
  const names = Object.keys(attributes);
  if (names.length > MAX_ATTRIBUTES) {
    throw new QueueRequestError('InvalidParameterValue', `At most ${MAX_ATTRIBUTES} message attributes`);
  }
  let bytes = Buffer.byteLength(body);
  for (const name of names) {
    const value = attributes[name] ?? '';
    if (value.length === 0) {
      throw new QueueRequestError(
        'InvalidParameterValue',
        `Message attribute '${name}' must have a non-empty value`,
      );
    }
    bytes += Buffer.byteLength(name) + Buffer.byteLength('String') + Buffer.byteLength(value);
  }
  if (bytes > MAX_MESSAGE_BYTES) {
    throw new QueueRequestError(
      'InvalidParameterValue',
      `Message of ${bytes} bytes exceeds ${MAX_MESSAGE_BYTES}`,
    );
  }
}

export function invalidReceiptHandle(): QueueRequestError {
  return new QueueRequestError('ReceiptHandleIsInvalid', 'The input receipt handle is invalid.');
}
