/**
 * WorkQueue over Amazon SQS (standard queue): the sender plus the consumer calls. Works against
 * AWS and moto alike: it asks for `AttributeNames: ['All']` as well as
 * `MessageSystemAttributeNames`, because moto ignores the latter. Failures: see sqs-calls.ts.
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import type { ReceivedMessage, ReceiveOptions, WorkQueue } from '../../core/ports/work-queue';
import { sqsCall } from './sqs-calls';
import { SqsQueueSender } from './sqs-queue-sender';

export class SqsWorkQueue extends SqsQueueSender implements WorkQueue {
  async receive(options: ReceiveOptions): Promise<ReceivedMessage[]> {
    const output = await sqsCall('ReceiveMessage', () =>
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
    await sqsCall('DeleteMessage', () =>
      this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle })),
    );
  }

  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    await sqsCall('ChangeMessageVisibility', () =>
      this.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: seconds,
        }),
      ),
    );
  }
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
