import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SQSClient,
  SQSServiceException,
} from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { messageGroupId, SqsQueueSender } from '../../adapters/sqs/sqs-queue-sender';
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

workQueueContract(
  'SqsWorkQueue on moto',
  async () => {
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
    // moto 5.1.1 refuses MessageGroupId on a standard queue (pinned below), so its fairness is AWS's
  },
  { fairGroups: false },
);

describe('SqsQueueSender message groups (SQS fair queues)', () => {
  it('sends the hashed group as MessageGroupId when turned on (moto 5.1.1 refuses it on a standard queue)', async () => {
    const url = await createQueue(`fair-${randomUUID()}`);
    try {
      const fair = new SqsQueueSender(client, url, { messageGroups: true });
      // AWS accepts MessageGroupId on a standard queue since 2025 (fair queues); moto 5.1.1
      // answers InvalidParameterValue naming the id it was sent: proof the group is on the wire
      const refused = fair.send('work', { group: 'acme' });
      await expect(refused).rejects.toMatchObject({ name: 'InvalidParameterValue' });
      await expect(refused).rejects.toThrow(messageGroupId('acme'));
      // without the switch (the default, and with an SQS_ENDPOINT) the group stays local
      await new SqsQueueSender(client, url).send('work', { group: 'acme' });
      const received = await new SqsWorkQueue(client, url).receive({ maxMessages: 10, waitSeconds: 5 });
      expect(received.map((m) => m.body)).toEqual(['work']);
    } finally {
      await client.send(new DeleteQueueCommand({ QueueUrl: url }));
    }
  });

  it('hashes any tenant into 32 hex characters, within SQS limits (128, alphanumerics and punctuation)', () => {
    const tenants = ['acme', 'Acme', 'tenant with spaces/and#hash', 'é'.repeat(256), ''];
    const ids = tenants.map(messageGroupId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(tenants.length);
    expect(messageGroupId('acme')).toBe(ids[0]);
  });
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
