import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SQSClient,
  SQSServiceException,
} from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { SqsWorkQueue } from '../../adapters/sqs/sqs-work-queue';
import { RetryableError } from '../../core/errors';
import {
  CONTRACT_MAX_RECEIVE_COUNT,
  CONTRACT_VISIBILITY_TIMEOUT_SECONDS,
  workQueueContract,
} from '../contract/work-queue.contract';
import { awsTestEnv } from '../support/moto';

const client = new SQSClient(awsTestEnv(inject('motoEndpoint')));
afterAll(() => client.destroy());

async function createQueue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (QueueUrl === undefined) throw new Error(`no URL for queue ${name}`);
  return QueueUrl;
}

workQueueContract('SqsWorkQueue on moto', async () => {
  const name = `work-${randomUUID()}`;
  const dlqUrl = await createQueue(`${name}-dlq`);
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueUrl = await createQueue(name, {
    VisibilityTimeout: String(CONTRACT_VISIBILITY_TIMEOUT_SECONDS),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: Attributes?.QueueArn,
      maxReceiveCount: CONTRACT_MAX_RECEIVE_COUNT,
    }),
  });
  return {
    queue: new SqsWorkQueue(client, queueUrl),
    dlq: new SqsWorkQueue(client, dlqUrl),
    cleanup: async () => {
      await client.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
      await client.send(new DeleteQueueCommand({ QueueUrl: dlqUrl }));
    },
  };
});

describe('SqsWorkQueue errors', () => {
  const throwing = (error: Error): SQSClient => {
    const failing = new SQSClient({ ...awsTestEnv(inject('motoEndpoint')), maxAttempts: 1 });
    failing.middlewareStack.add(
      () => async () => {
        throw error;
      },
      { step: 'initialize', name: 'failWith' },
    );
    return failing;
  };
  const serviceError = (name: string, httpStatusCode: number): SQSServiceException =>
    new SQSServiceException({
      name,
      message: `${name} from the test`,
      $fault: httpStatusCode >= 500 ? 'server' : 'client',
      $metadata: { httpStatusCode },
    });

  it.each([
    ['throttling', serviceError('RequestThrottled', 400)],
    ['a server fault', serviceError('InternalError', 500)],
    ['an unavailable service', serviceError('ServiceUnavailable', 503)],
  ])('turns %s into a RetryableError that keeps the cause', async (_, error) => {
    const queue = new SqsWorkQueue(throwing(error), 'http://127.0.0.1:1/000000000000/q');
    const failure = queue.send('work');
    await expect(failure).rejects.toBeInstanceOf(RetryableError);
    await expect(failure).rejects.toMatchObject({ cause: error });
  });

  it('turns a refused connection into a RetryableError', async () => {
    const closed = new SQSClient({ ...awsTestEnv('http://127.0.0.1:1'), maxAttempts: 1 });
    const queue = new SqsWorkQueue(closed, 'http://127.0.0.1:1/000000000000/q');
    await expect(queue.receive({ maxMessages: 1, waitSeconds: 0 })).rejects.toBeInstanceOf(RetryableError);
    closed.destroy();
  });

  it('lets a missing queue fail as it is, not as retryable', async () => {
    const queue = new SqsWorkQueue(
      client,
      `${inject('motoEndpoint')}/123456789012/no-such-queue-${randomUUID()}`,
    );
    const failure = queue.receive({ maxMessages: 1, waitSeconds: 0 });
    await expect(failure).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
    await expect(failure).rejects.not.toBeInstanceOf(RetryableError);
  });
});
