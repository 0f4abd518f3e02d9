/**
 * The producer side of an SQS queue: SendMessage only, so a function that only enqueues (the
 * gateway, the reconciler, the DLQ consumer) bundles no consumer call and its role grants none.
 * Works against AWS and moto alike.
 *
 * With `messageGroups`, a message's fairness group (the tenant) becomes its MessageGroupId, which
 * on a standard queue turns on SQS fair queues: SQS serves quiet groups before a noisy group's
 * backlog. The id is a hash of the group: tenant names stay out of CloudWatch and the console, and
 * any tenant fits SQS's limits (128 characters, alphanumerics and punctuation). moto 5.1.1 refuses
 * MessageGroupId on a standard queue, hence the switch (off by default).
 */
import { createHash } from 'node:crypto';
import { type MessageAttributeValue, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueSender, SendOptions } from '../../core/ports/work-queue';
import { sqsCall } from './sqs-calls';

export interface SqsQueueOptions {
  /** send SendOptions.group as a (hashed) MessageGroupId; default false */
  messageGroups?: boolean;
}

export class SqsQueueSender implements QueueSender {
  private readonly messageGroups: boolean;

  constructor(
    protected readonly client: SQSClient,
    protected readonly queueUrl: string,
    options: SqsQueueOptions = {},
  ) {
    this.messageGroups = options.messageGroups ?? false;
  }

  async send(body: string, options: SendOptions = {}): Promise<void> {
    const attributes = toMessageAttributes(body, options.attributes ?? {});
    await sqsCall('SendMessage', () =>
      this.client.send(
        new SendMessageCommand({
          QueueUrl: this.queueUrl,
          MessageBody: body,
          DelaySeconds: options.delaySeconds,
          MessageAttributes: attributes,
          MessageGroupId:
            this.messageGroups && options.group !== undefined ? messageGroupId(options.group) : undefined,
        }),
      ),
    );
  }
}

/** 32 hex characters (128 bits of SHA-256): stable per group, opaque, within SQS's charset and length. */
export function messageGroupId(group: string): string {
  return createHash('sha256').update(group, 'utf8').digest('hex').slice(0, 32);
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
