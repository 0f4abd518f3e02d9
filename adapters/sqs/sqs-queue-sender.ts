/**
 * The producer side of an SQS queue: SendMessage only, so a function that only enqueues (the
 * gateway, the reconciler, the DLQ consumer) bundles no consumer call and its role grants none.
 * Works against AWS and moto alike.
 */
import { type MessageAttributeValue, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueSender, SendOptions } from '../../core/ports/work-queue';
import { sqsCall } from './sqs-calls';

export class SqsQueueSender implements QueueSender {
  constructor(
    protected readonly client: SQSClient,
    protected readonly queueUrl: string,
  ) {}

  async send(body: string, options: SendOptions = {}): Promise<void> {
    const attributes = toMessageAttributes(body, options.attributes ?? {});
    await sqsCall('SendMessage', () =>
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
