/**
 * The Lambda entries of the work DLQ consumer and the reconciler, wired from env as in AWS, on
 * DynamoDB Local and moto's SQS.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { ensureTable } from '../../adapters/dynamo/table-schema';
import { STALE_SUBMITTED_MS } from '../../adapters/shared/reconcile-due';
import { SqsWorkQueue } from '../../adapters/sqs/sqs-work-queue';
import { TaskState } from '../../core/a2a/task-state';
import type { SQSBatchResponse, SQSEvent } from '../../workers/runtime/sqs-event';
import { ctx, testClock, uniqueId } from '../support/factories';
import { awsTestEnv, lambdaEmulatorEnv } from '../support/moto';
import { submitTask } from '../support/worker-fixtures';

const table = `lambdas-${Date.now()}`;
let store: DynamoTaskStore;
let queue: SqsWorkQueue;
let dlqConsumer: (event: SQSEvent) => Promise<SQSBatchResponse>;
let reconciler: () => Promise<{ examined: number; requeued: number }>;

beforeAll(async () => {
  const dynamo = inject('dynamoEndpoint');
  const raw = new DynamoDBClient(awsTestEnv(dynamo));
  await ensureTable(raw, table);
  store = new DynamoTaskStore({ client: DynamoDBDocumentClient.from(raw), tableName: table });
  const sqs = new SQSClient(awsTestEnv(inject('motoEndpoint')));
  const queueUrl =
    (await sqs.send(new CreateQueueCommand({ QueueName: `work-${Date.now()}` }))).QueueUrl ?? '';
  queue = new SqsWorkQueue(sqs, queueUrl);
  Object.assign(process.env, {
    ...lambdaEmulatorEnv({ table, dynamo, moto: inject('motoEndpoint') }),
    WORK_QUEUE_URL: queueUrl,
    PUSH_QUEUE_URL: queueUrl,
  });
  dlqConsumer = (await import('../../workers/dlq-consumer/lambda')).handler;
  const reconcile = (await import('../../workers/reconciler/lambda')).handler;
  reconciler = () => reconcile(undefined);
});

const record = (body: string) => ({
  messageId: uniqueId('msg'),
  receiptHandle: 'rh',
  body,
  attributes: {
    ApproximateReceiveCount: '6',
    SentTimestamp: '0',
    SenderId: 'x',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:work-dlq',
  awsRegion: 'us-east-1',
});

describe('worker Lambda entries', () => {
  it('the DLQ consumer fails the task of a dead letter and acknowledges it', async () => {
    const me = ctx(uniqueId('tenant'));
    const work = await submitTask(store, me, 'echo', 'never ran', testClock(Date.now()));
    const res = await dlqConsumer({ Records: [record(JSON.stringify(work)), record('not json')] });
    expect(res.batchItemFailures).toEqual([]);
    const task = await store.get(me, work.taskId);
    expect(task?.status.state).toBe(TaskState.Failed);
  });

  it('the DLQ consumer leaves a task alone once a newer turn started', async () => {
    const me = ctx(uniqueId('tenant'));
    const work = await submitTask(store, me, 'echo', 'x', testClock(Date.now()));
    const stale = { ...work, seq: 0 };
    await dlqConsumer({ Records: [record(JSON.stringify(stale))] });
    expect((await store.get(me, work.taskId))?.status.state).toBe(TaskState.Submitted);
  });

  it('the reconciler re-enqueues a task stranded in SUBMITTED', async () => {
    const me = ctx(uniqueId('tenant'));
    const past = testClock(Date.now() - STALE_SUBMITTED_MS - 1000);
    const work = await submitTask(store, me, 'echo', 'stranded', past);
    expect((await reconciler()).requeued).toBeGreaterThanOrEqual(1);
    const bodies = (await queue.receive({ maxMessages: 10, waitSeconds: 2 })).map((m) => JSON.parse(m.body));
    expect(bodies).toContainEqual({ v: 1, tenant: me.principal.tenant, taskId: work.taskId, seq: 1 });
  });
});
