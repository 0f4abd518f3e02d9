/**
 * Workers on real queue semantics: SQS on moto (redrive, visibility) and DynamoDB Local, driven
 * the way Lambda's event source mapping drives them (queue pollers, batchItemFailures).
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoCheckpointer } from '../../adapters/dynamo/dynamo-checkpointer';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { ensureTable } from '../../adapters/dynamo/table-schema';
import { STALE_SUBMITTED_MS } from '../../adapters/shared/reconcile-due';
import { SqsWorkQueue } from '../../adapters/sqs/sqs-work-queue';
import { TaskState } from '../../core/a2a/task-state';
import { type Clock, systemClock } from '../../core/ports/clock';
import { silentLogger } from '../../core/ports/logger';
import type { WorkQueue } from '../../core/ports/work-queue';
import { enqueueWork } from '../../core/use-cases/enqueue-work';
import { createAgentWorkerHandler } from '../../workers/agent-worker/handler';
import { runTask } from '../../workers/agent-worker/run-task';
import type { AgentRegistry } from '../../workers/agent-worker/worker-deps';
import { ABANDONED_MESSAGE, createDlqConsumerHandler } from '../../workers/dlq-consumer/handler';
import { createReconcilerHandler } from '../../workers/reconciler/handler';
import { type QueuePoller, startQueuePoller } from '../../workers/runtime/queue-poller';
import type { SQSBatchHandler } from '../../workers/runtime/sqs-event';
import { ctx, testClock, uniqueId } from '../support/factories';
import { awsTestEnv } from '../support/moto';
import { registryWith, steppingAgent } from '../support/test-graphs';
import { submitTask, workerDeps } from '../support/worker-fixtures';

const tableName = `queue-${randomUUID()}`;
const raw = new DynamoDBClient(awsTestEnv(inject('dynamoEndpoint')));
const doc = DynamoDBDocumentClient.from(raw);
const sqs = new SQSClient(awsTestEnv(inject('motoEndpoint')));

beforeAll(() => ensureTable(raw, tableName));
afterAll(async () => {
  await raw.send(new DeleteTableCommand({ TableName: tableName }));
  raw.destroy();
  sqs.destroy();
});

function world(clock: Clock = systemClock, agents?: AgentRegistry) {
  return {
    store: new DynamoTaskStore({ client: doc, tableName, clock }),
    checkpointers: DynamoCheckpointer.factory({ client: doc, tableName, ttlSeconds: 3600, clock }),
    clock,
    ...(agents ? { agents } : {}),
  };
}

async function queues(o: {
  visibilitySeconds: number;
  maxReceiveCount: number;
}): Promise<{ queue: WorkQueue; dlq: WorkQueue }> {
  const name = `work-${randomUUID()}`;
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl ?? '';
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
  );
  const url = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          VisibilityTimeout: String(o.visibilitySeconds),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: Attributes?.QueueArn,
            maxReceiveCount: o.maxReceiveCount,
          }),
        },
      }),
    )
  ).QueueUrl;
  return { queue: new SqsWorkQueue(sqs, url ?? ''), dlq: new SqsWorkQueue(sqs, dlqUrl) };
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const poll = (queue: WorkQueue, handler: SQSBatchHandler): QueuePoller =>
  startQueuePoller({ queue, handler, batchSize: 1, waitSeconds: 1, retryDelayMs: 100 });

describe('workers on SQS (moto) and DynamoDB Local', () => {
  it('runs a message delivered twice only once', async () => {
    let runs = 0;
    const agent = steppingAgent({
      steps: 2,
      during: async (step) => {
        if (step === 0) runs += 1;
        await new Promise((r) => setTimeout(r, 200));
      },
    });
    const w = world(systemClock, registryWith(agent));
    const me = ctx(uniqueId('tenant'));
    const work = await submitTask(w.store, me, 'currency', 'go', systemClock);
    const { queue } = await queues({ visibilitySeconds: 30, maxReceiveCount: 5 });
    await enqueueWork(queue, me, (await w.store.get(me, work.taskId)) ?? expect.fail('no task'));
    await enqueueWork(queue, me, (await w.store.get(me, work.taskId)) ?? expect.fail('no task'));
    const handler = createAgentWorkerHandler(workerDeps(w), { queue });
    const pollers = [poll(queue, handler), poll(queue, handler)];
    try {
      await eventually('completion', async () => {
        const t = await w.store.get(me, work.taskId);
        return t?.status.state === TaskState.Completed ? t : undefined;
      });
      await eventually('an empty queue', async () =>
        (await queue.receive({ maxMessages: 10, waitSeconds: 1 })).length === 0 ? true : undefined,
      );
    } finally {
      await Promise.all(pollers.map((p) => p.stop()));
    }
    expect(runs).toBe(1);
    // a later duplicate finds the task finished
    expect(await runTask(workerDeps(w), work)).toBe('skipped');
  });

  it('keeps a run longer than the visibility timeout from being handed to a second worker', async () => {
    const agent = steppingAgent({ steps: 1, during: () => new Promise((r) => setTimeout(r, 3500)) });
    const w = world(systemClock, registryWith(agent));
    const me = ctx(uniqueId('tenant'));
    const work = await submitTask(w.store, me, 'currency', 'go', systemClock);
    const { queue } = await queues({ visibilitySeconds: 2, maxReceiveCount: 5 });
    await enqueueWork(queue, me, (await w.store.get(me, work.taskId)) ?? expect.fail('no task'));
    const deliveries: string[] = [];
    const inner = createAgentWorkerHandler(
      workerDeps(w, {
        settings: { leaseMs: 30_000, heartbeatMs: 100, retentionSeconds: 3600, visibilityTimeoutSeconds: 2 },
      }),
      { queue },
    );
    const handler: SQSBatchHandler = (event) => {
      deliveries.push(...event.Records.map((r) => r.attributes.ApproximateReceiveCount));
      return inner(event);
    };
    const pollers = [poll(queue, handler), poll(queue, handler)];
    try {
      await eventually('completion', async () =>
        (await w.store.get(me, work.taskId))?.status.state === TaskState.Completed ? true : undefined,
      );
    } finally {
      await Promise.all(pollers.map((p) => p.stop()));
    }
    expect(deliveries).toEqual(['1']);
  });

  it('moves a message that keeps failing to the DLQ, whose consumer fails the task', async () => {
    const agent = steppingAgent({
      steps: 1,
      during: async () => {
        throw Object.assign(new Error('Too many requests'), { name: 'ThrottlingException' });
      },
    });
    const w = world(systemClock, registryWith(agent));
    const me = ctx(uniqueId('tenant'));
    const work = await submitTask(w.store, me, 'currency', 'go', systemClock);
    const { queue, dlq } = await queues({ visibilitySeconds: 1, maxReceiveCount: 2 });
    await enqueueWork(queue, me, (await w.store.get(me, work.taskId)) ?? expect.fail('no task'));
    const pollers = [
      poll(queue, createAgentWorkerHandler(workerDeps(w), { queue })),
      poll(
        dlq,
        createDlqConsumerHandler({
          store: w.store,
          clock: systemClock,
          logger: silentLogger,
          settings: { leaseMs: 30_000, retentionSeconds: 3600 },
        }),
      ),
    ];
    try {
      const failed = await eventually('the task to fail', async () => {
        const t = await w.store.get(me, work.taskId);
        return t?.status.state === TaskState.Failed ? t : undefined;
      });
      expect(failed.status.message?.parts[0]?.text).toBe(ABANDONED_MESSAGE);
    } finally {
      await Promise.all(pollers.map((p) => p.stop()));
    }
  });

  it('re-enqueues a task stranded in SUBMITTED once, and a worker completes it', async () => {
    const clock = testClock(Date.now());
    const w = world(clock);
    const me = ctx(uniqueId('tenant'));
    // the gateway wrote the task, then crashed before its SQS send
    const work = await submitTask(w.store, me, 'echo', 'stranded', clock);
    const { queue } = await queues({ visibilitySeconds: 30, maxReceiveCount: 5 });
    const reconcile = createReconcilerHandler({
      store: w.store,
      queue,
      clock,
      logger: silentLogger,
      settings: { maxItems: 1000, backoffMs: 300_000 },
    });
    expect((await reconcile()).requeued).toBe(0);
    clock.advance(STALE_SUBMITTED_MS);
    expect((await reconcile()).requeued).toBeGreaterThanOrEqual(1);
    expect((await reconcile()).requeued).toBe(0);
    const received = await queue.receive({ maxMessages: 10, waitSeconds: 2 });
    expect(received.map((m) => JSON.parse(m.body).taskId)).toContain(work.taskId);
    const handler = createAgentWorkerHandler(workerDeps(w), { queue });
    const mine = received.filter((m) => JSON.parse(m.body).taskId === work.taskId);
    await handler({
      Records: mine.map((m) => ({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '0',
          SenderId: 'x',
          ApproximateFirstReceiveTimestamp: '0',
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn',
        awsRegion: 'us-east-1',
      })),
    });
    expect((await w.store.get(me, work.taskId))?.status.state).toBe(TaskState.Completed);
  });

  it('defers a due task under a live lease to the lease end, and re-enqueues it only then', async () => {
    const clock = testClock(Date.now());
    const w = world(clock);
    const me = ctx(uniqueId('tenant'));
    const work = await submitTask(w.store, me, 'echo', 'long run', clock);
    const until = clock.now() + 2 * STALE_SUBMITTED_MS;
    await w.store.acquireLease(me, {
      taskId: work.taskId,
      lease: { owner: 'busy', until },
      now: clock.now(),
    });
    const { queue } = await queues({ visibilitySeconds: 30, maxReceiveCount: 5 });
    const reconcile = createReconcilerHandler({
      store: w.store,
      queue,
      clock,
      logger: silentLogger,
      settings: { maxItems: 1000, backoffMs: 300_000 },
    });
    clock.advance(STALE_SUBMITTED_MS);
    expect((await reconcile()).requeued).toBe(0);
    const mine = async (dueBefore: number) =>
      (await w.store.findStranded({ dueBefore, limit: 1000 })).filter((r) => r.taskId === work.taskId);
    expect((await mine(until)).map((r) => r.dueAt)).toEqual([until]);
    expect((await reconcile()).requeued).toBe(0);
    clock.set(until);
    expect((await reconcile()).requeued).toBeGreaterThanOrEqual(1);
    // enqueued, then pushed out by the backoff
    expect((await mine(until + 300_000)).map((r) => r.dueAt)).toEqual([until + 300_000]);
  });

  it('re-enqueues a task whose worker died while WORKING, and the next worker takes over', async () => {
    const clock = testClock(Date.now());
    const w = world(clock);
    const me = ctx(uniqueId('tenant'));
    const work = await submitTask(w.store, me, 'echo', 'orphaned', clock);
    // a worker claimed it, appended WORKING and died (its lease is never released)
    await w.store.acquireLease(me, {
      taskId: work.taskId,
      lease: { owner: 'dead', until: clock.now() + 30_000 },
      now: clock.now(),
    });
    const { queue } = await queues({ visibilitySeconds: 30, maxReceiveCount: 5 });
    const reconcile = createReconcilerHandler({
      store: w.store,
      queue,
      clock,
      logger: silentLogger,
      settings: { maxItems: 1000, backoffMs: 300_000 },
    });
    expect((await reconcile()).requeued).toBe(0);
    // due a grace period after submission (a claim does not move it), the lease long over by then
    clock.advance(STALE_SUBMITTED_MS);
    expect((await reconcile()).requeued).toBeGreaterThanOrEqual(1);
    const [message] = (await queue.receive({ maxMessages: 10, waitSeconds: 2 })).filter(
      (m) => JSON.parse(m.body).taskId === work.taskId,
    );
    expect(message).toBeDefined();
    expect(await runTask(workerDeps(w), JSON.parse(message?.body ?? '{}'))).toBe('done');
    expect((await w.store.get(me, work.taskId))?.status.state).toBe(TaskState.Completed);
  });
});
