/**
 * The deployed code path: the gateway Lambda on a recorded API Gateway HTTP API event (principal
 * from the authorizer context), SQS on moto, DynamoDB Local, and the agent worker Lambda handler
 * fed the real SQS message as an SQS event.
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../adapters/dynamo/table-schema';
import { generateSigningJwk } from '../../adapters/push/push-signing-keys';
import recorded from '../fixtures/apigw-http-gateway-event.json';
import { httpApiEvent, sqsEventFrom } from '../support/lambda-events';
import { awsTestEnv, lambdaEmulatorEnv } from '../support/moto';
import { type Receiver, startReceiver } from '../support/webhook-receivers';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
let gateway: Handler;
let worker: (event: unknown) => Promise<{ batchItemFailures: unknown[] }>;
let dispatcher: (event: unknown) => Promise<{ batchItemFailures: unknown[] }>;
let sqs: SQSClient;
let queueUrl: string;
let pushQueueUrl: string;
let secretId: string;
let receiver: Receiver;

const lambdaContext = {
  awsRequestId: 'req-1',
  functionName: 'gateway',
  getRemainingTimeInMillis: () => 29_000,
};
/** The recorded event with another JSON-RPC body. */
const event = (body: unknown) => httpApiEvent({ body });

beforeAll(async () => {
  const table = `lambda-${Date.now()}`;
  const dynamo = inject('dynamoEndpoint');
  await ensureTable(new DynamoDBClient(awsTestEnv(dynamo)), table);
  sqs = new SQSClient(awsTestEnv(inject('motoEndpoint')));
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `work-${Date.now()}` }))).QueueUrl ?? '';
  pushQueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `push-${Date.now()}` }))).QueueUrl ?? '';
  const secrets = new SecretsManagerClient(awsTestEnv(inject('motoEndpoint')));
  secretId = `push-keys-${Date.now()}`;
  await secrets.send(
    new CreateSecretCommand({
      Name: secretId,
      SecretString: JSON.stringify({ current: await generateSigningJwk() }),
    }),
  );
  receiver = await startReceiver();
  Object.assign(process.env, {
    ...lambdaEmulatorEnv({ table, dynamo, moto: inject('motoEndpoint') }),
    WORK_QUEUE_URL: queueUrl,
    PUSH_QUEUE_URL: pushQueueUrl,
    PUSH_SIGNING_SECRET_ID: secretId,
    PUSH_ISSUER: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
    WEBHOOK_ALLOW_HTTP_HOSTS: '127.0.0.1',
    PUBLIC_BASE_URL: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
    BLOCKING_TIMEOUT_MS: '1000',
  });
  gateway = (await import('../../gateway/lambda/lambda')).handler as Handler;
  worker = (await import('../../workers/agent-worker/lambda')).handler as never;
  dispatcher = (await import('../../workers/push-dispatcher/lambda')).handler as never;
});
afterAll(() => receiver?.close());

const sqsEvent = (url: string) => sqsEventFrom(sqs, url);

const call = async (e: unknown) => {
  const res = (await gateway(e, lambdaContext)) as {
    statusCode: number;
    body: string;
    headers: Record<string, string>;
  };
  return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
};

describe('Lambda handlers on recorded event shapes', () => {
  it('the gateway takes the principal from the authorizer context and queues the task on SQS', async () => {
    const res = await call(structuredClone(recorded));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const task = res.body.result.task;
    expect(task.status.state).toBe('TASK_STATE_SUBMITTED');

    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
        AttributeNames: ['All'],
      }),
    );
    const message = received.Messages?.[0];
    expect(JSON.parse(message?.Body ?? '{}')).toMatchObject({ tenant: 'acme', taskId: task.id });
    expect(message?.MessageAttributes?.traceparent?.StringValue).toMatch(
      /^00-4bf92f3577b34da6a3ce929d0e0e4736-/,
    );

    const sqsEvent = {
      Records: [
        {
          messageId: message?.MessageId,
          receiptHandle: message?.ReceiptHandle,
          body: message?.Body,
          attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()) },
          messageAttributes: {
            traceparent: {
              stringValue: message?.MessageAttributes?.traceparent?.StringValue,
              dataType: 'String',
            },
          },
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:work',
          awsRegion: 'us-east-1',
        },
      ],
    };
    expect((await worker(sqsEvent)).batchItemFailures).toEqual([]);

    const got = await call(event({ jsonrpc: '2.0', id: 2, method: 'GetTask', params: { id: task.id } }));
    expect(got.body.result.status.state).toBe('TASK_STATE_COMPLETED');
    expect(got.body.result.artifacts[0].parts[0].text).toBe('hi');
  });

  it('answers 401 when the authorizer context is missing', async () => {
    const e = structuredClone(recorded) as { requestContext: Record<string, unknown> };
    delete e.requestContext.authorizer;
    const res = await call(e);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('scopes reads to the tenant of the authorizer context', async () => {
    const mine = await call(
      event({
        jsonrpc: '2.0',
        id: 3,
        method: 'SendMessage',
        params: {
          message: { messageId: `m-${Date.now()}`, role: 'ROLE_USER', parts: [{ text: 'x' }] },
          configuration: { returnImmediately: true },
        },
      }),
    );
    const other = structuredClone(recorded) as {
      requestContext: { authorizer: { lambda: Record<string, string> } };
    };
    other.requestContext.authorizer.lambda.tenant = 'globex';
    const res = await call({
      ...event({ jsonrpc: '2.0', id: 4, method: 'GetTask', params: { id: mine.body.result.task.id } }),
      requestContext: other.requestContext,
    });
    expect(res.body.error.code).toBe(-32001);
  });

  it('acknowledges an unreadable work message instead of retrying it forever', async () => {
    const res = await worker({
      Records: [{ messageId: 'bad-1', body: 'not json', attributes: {}, messageAttributes: {} }],
    });
    expect(res.batchItemFailures).toEqual([]);
  });
});

describe('push delivery on the deployed code path', () => {
  it('queues a push trigger on SQS and the dispatcher Lambda delivers a signed notification', async () => {
    const sent = await call(
      event({
        jsonrpc: '2.0',
        id: 10,
        method: 'SendMessage',
        params: {
          message: { messageId: `push-${Date.now()}`, role: 'ROLE_USER', parts: [{ text: 'ping' }] },
          configuration: {
            returnImmediately: true,
            taskPushNotificationConfig: { url: `${receiver.origin}/hook` },
          },
        },
      }),
    );
    const taskId = sent.body.result.task.id;
    const work = await sqsEvent(queueUrl);
    expect((await worker(work)).batchItemFailures).toEqual([]);
    for (
      let i = 0;
      i < 5 && !receiver.requests.some((r) => r.body.toString().includes('TASK_STATE_COMPLETED'));
      i++
    ) {
      const triggers = await sqsEvent(pushQueueUrl);
      // triggers for the same task in one batch are dispatched once
      if (triggers.Records.length > 0) expect((await dispatcher(triggers)).batchItemFailures).toEqual([]);
    }
    const bodies = receiver.requests.map((r) => JSON.parse(r.body.toString()));
    expect(bodies.at(-1).statusUpdate).toMatchObject({ taskId, status: { state: 'TASK_STATE_COMPLETED' } });
    expect(receiver.requests.every((r) => typeof r.headers['x-a2a-signature'] === 'string')).toBe(true);

    const jwks = await call({
      ...event({}),
      rawPath: '/.well-known/jwks.json',
      requestContext: {
        ...recorded.requestContext,
        http: { ...recorded.requestContext.http, method: 'GET', path: '/.well-known/jwks.json' },
      },
      body: undefined,
    });
    expect(jwks.body.keys).toHaveLength(1);
  });
});
