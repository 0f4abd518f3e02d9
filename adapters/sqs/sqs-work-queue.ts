/**
 * WorkQueue over Amazon SQS (standard queue). Works against AWS and moto alike: it asks for
 * `AttributeNames: ['All']` as well as `MessageSystemAttributeNames`, because moto ignores the
 * latter. Throttling, timeouts, network failures and 5xx become RetryableError (after the SDK's
 * own retries); everything else (e.g. ReceiptHandleIsInvalid, QueueDoesNotExist) is rethrown as is.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { RetryableError } from '../../core/errors';
import type { ReceivedMessage, ReceiveOptions, SendOptions, WorkQueue } from '../../core/ports/work-queue';

export class SqsWorkQueue implements WorkQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(body: string, options: SendOptions = {}): Promise<void> {
    const attributes = toMessageAttributes(body, options.attributes ?? {});
    await this.call('SendMessage', () =>
      this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: body,
          DelaySeconds: options.delaySeconds,
          MessageAttributes: attributes,
        }),
      ),
    );
  }

  async receive(options: ReceiveOptions): Promise<ReceivedMessage[]> {
    const output = await this.call('ReceiveMessage', () =>
      this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: options.maxMessages,
          WaitTimeSeconds: options.waitSeconds,
          VisibilityTimeout: options.visibilityTimeoutSeconds,
          MessageSystemAttributeNames: ['All'],
          // moto 5.1.1 only honours the older parameter
          AttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      ),
    );
    return (output.Messages ?? []).map(toReceivedMessage);
  }

  async delete(receiptHandle: string): Promise<void> {
    await this.call('DeleteMessage', () =>
      this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle })),
    );
  }

  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    await this.call('ChangeMessageVisibility', () =>
      this.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: seconds,
        }),
      ),
    );
  }

  private async call<T>(operation: string, request: () => Promise<T>): Promise<T> {
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
}

/**
 * SQS rejects an empty body or attribute value; moto 5.1.1 accepts an empty body and answers an
 * empty attribute value with HTTP 500 after storing a message it cannot deliver. Reject both here.
 */
function toMessageAttributes(
  body: string,
  attributes: Record<string, string>,
): Record<string, MessageAttributeValue> | undefined {
  if (body.length === 0) throw invalidParameter('The message body must not be empty');
  const entries = Object.entries(attributes);
  if (entries.length === 0) return undefined;
  const result: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of entries) {
    if (value.length === 0) throw invalidParameter(`Message attribute '${name}' must have a non-empty value`);
    result[name] = { DataType: 'String', StringValue: value };
  }
  return result;
}

function invalidParameter(message: string): Error {
  const error = new Error(message);
  error.name = 'InvalidParameterValue';
  return error;
}

function toReceivedMessage(message: Message): ReceivedMessage {
  const { MessageId, ReceiptHandle, Body } = message;
  if (MessageId === undefined || ReceiptHandle === undefined || Body === undefined) {
    throw new Error('SQS returned a message without MessageId, ReceiptHandle or Body');
  }
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    if (value.StringValue !== undefined) attributes[name] = value.StringValue;
  }
  return {
    messageId: MessageId,
    body: Body,
    receiptHandle: ReceiptHandle,
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? '1'),
    attributes,
    sentAt: Number(message.Attributes?.SentTimestamp ?? Number.NaN),
  };
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
