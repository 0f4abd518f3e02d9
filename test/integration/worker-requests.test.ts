/**
 * The agent worker's DynamoDB requests for one run, metered like the store-cost bench
 * (scripts/bench/dynamo-metering.ts): what a run costs, pinned where a change cut it.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { MemoryCheckpointData, MemoryCheckpointer } from '../../adapters/memory/memory-checkpointer';
import { TaskState } from '../../core/a2a/task-state';
import { meterDynamo } from '../../scripts/bench/dynamo-metering';
import { runTask } from '../../workers/agent-worker/run-task';
import { localDynamoClient, useStoreTable } from '../support/dynamo-client';
import { ctx, testClock, uniqueId } from '../support/factories';
import { submitTask, workerDeps } from '../support/worker-fixtures';

const tableName = `worker-requests-${randomUUID()}`;
const raw = localDynamoClient();
const meter = meterDynamo(raw);
const clock = testClock();
const store = new DynamoTaskStore({ client: DynamoDBDocumentClient.from(raw), tableName, clock });
const data = new MemoryCheckpointData();
const world = {
  store,
  clock,
  checkpointers: (tenant: string) => new MemoryCheckpointer({ data, tenant, ttlSeconds: 3600 }),
};

useStoreTable(raw, tableName);

describe('agent worker requests', () => {
  it('runs an echo task with a claim and one commit without a transaction, reading nothing', async () => {
    const me = ctx(uniqueId('tenant'));
    const work = await submitTask(store, me, 'echo', 'hello', clock);
    const before = meter.reading();
    expect(await runTask(workerDeps(world), work)).toBe('done');
    const reading = meter.delta(before);
    expect((await store.get(me, work.taskId))?.status.state).toBe(TaskState.Completed);
    // the claim returns the task (no read before it); the step checks trust it, as the run has not
    // committed since; the agent's two events and the led WORKING share one commit: an update of
    // the snapshot (the claim told the store the log was complete: no read), then three puts
    expect(reading.byCommand.UpdateItemCommand?.requests).toBe(2);
    expect(reading.byCommand.GetItemCommand).toBeUndefined();
    expect(reading.byCommand.TransactWriteItemsCommand).toBeUndefined();
    expect(reading.byCommand.PutItemCommand?.requests).toBe(3);
    expect(reading.requests).toBe(5);
    expect(reading.rru).toBe(0);
    // each event billed once (a transaction billed each twice)
    expect(reading.byCommand.PutItemCommand?.units).toBe(3);
  });

  it('reads the task to tell why when the claim fails: a duplicate delivery of a finished run', async () => {
    const me = ctx(uniqueId('tenant'));
    const work = await submitTask(store, me, 'echo', 'hello', clock);
    expect(await runTask(workerDeps(world), work)).toBe('done');
    const before = meter.reading();
    expect(await runTask(workerDeps(world), work)).toBe('skipped');
    const reading = meter.delta(before);
    expect(reading.byCommand.UpdateItemCommand?.requests).toBe(1);
    expect(reading.byCommand.GetItemCommand?.requests).toBe(1);
    expect(reading.writeRequests).toBe(1);
  });
});
