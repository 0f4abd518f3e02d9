/**
 * DynamoTaskStore's requests and write units on DynamoDB Local, metered like the store-cost bench
 * (scripts/bench/dynamo-metering.ts): what a task's writes cost, pinned where a change cut them.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { pushSk, taskPk } from '../../adapters/dynamo/keys';
import { TaskState } from '../../core/a2a/task-state';
import { isoAt } from '../../core/ports/clock';
import { applyEvents } from '../../core/task-record';
import { meterDynamo } from '../../scripts/bench/dynamo-metering';
import { localDynamoClient, useStoreTable } from '../support/dynamo-client';
import { ctx, newTask, pushConfig, testClock, uniqueId, userMessage } from '../support/factories';

const tableName = `requests-${randomUUID()}`;
const raw = localDynamoClient();
const meter = meterDynamo(raw);
const doc = DynamoDBDocumentClient.from(raw);
const clock = testClock();
const store = new DynamoTaskStore({ client: doc, tableName, clock });

useStoreTable(raw, tableName);

/** Creates a task (with the given push configs) and returns the reading of its ending commit. */
async function endTask(configs: number) {
  const me = ctx(uniqueId('tenant'));
  const input = newTask({ tenant: me.principal.tenant, ...(configs > 0 ? { hasPush: true } : {}) });
  const pushConfigs = Array.from({ length: configs }, (_, i) => pushConfig(input.task.id, { id: `c${i}` }));
  await store.create(me, { ...input, pushConfigs });
  const task = await store.get(me, input.task.id);
  if (!task) throw new Error('no task');
  const { next, stored } = applyEvents(
    task,
    [{ kind: 'status', status: { state: TaskState.Completed } }],
    isoAt(clock.now()),
  );
  next.expiresAt = Math.floor(clock.now() / 1000) + 3600;
  const before = meter.reading();
  await store.commit(me, { taskId: task.id, expectedVersion: task.version, next, events: stored });
  const reading = meter.delta(before);
  return { me, taskId: task.id, reading, expiresAt: next.expiresAt };
}

describe('DynamoTaskStore requests', () => {
  it('creates a task with a push config for 6 table WRU: event and config put first, then a 2-item transaction', async () => {
    const me = ctx(uniqueId('tenant'));
    const input = newTask({ tenant: me.principal.tenant, hasPush: true });
    const before = meter.reading();
    await store.create(me, { ...input, pushConfigs: [pushConfig(input.task.id)] });
    const reading = meter.delta(before);
    expect(reading.byCommand.PutItemCommand?.requests).toBe(2);
    expect(reading.byCommand.PutItemCommand?.units).toBe(2);
    expect(reading.byCommand.TransactWriteItemsCommand?.requests).toBe(1);
    // the snapshot and the idempotency record, each billed twice in the transaction
    expect(
      (reading.byCommand.TransactWriteItemsCommand?.units ?? 0) -
        (reading.byCommand.TransactWriteItemsCommand?.indexUnits ?? 0),
    ).toBe(4);
    expect(reading.wru - reading.indexWru).toBe(6);
  });

  it('writes 2 index WRU to create a queued task and 4 to end it: it enters GSI1 and GSI2 only then (decision 84)', async () => {
    const me = ctx(uniqueId('tenant'));
    const input = newTask({ tenant: me.principal.tenant });
    const before = meter.reading();
    await store.create(me, input);
    // GSI5 (queued: listed and counted) and GSI3 (the reconciler's), one index item each
    expect(meter.delta(before).indexWru).toBe(2);
    const { reading } = await endTask(0);
    // a put in GSI1 and in GSI2, a delete in GSI5 and in GSI3; a put and a move was 6
    expect(reading.indexWru).toBe(4);
  });

  it("reads no other agent's queued tasks for a ListTasks page: its range of GSI5 only (decision 84)", async () => {
    const page = async (others: number) => {
      const me = ctx(uniqueId('tenant'));
      await store.create(me, newTask({ tenant: me.principal.tenant }));
      for (let i = 0; i < others; i++)
        await store.create(me, newTask({ tenant: me.principal.tenant, agentId: 'other' }));
      const before = meter.reading();
      const listed = await store.list(me, { agentId: 'echo', pageSize: 10 });
      expect(listed.totalSize).toBe(1);
      return meter.delta(before).rru;
    };
    // 40 index items of about 300 bytes would be 12 KB, 1.5 RRU or more, if they were read and filtered
    expect(await page(40)).toBe(await page(0));
  });

  it('leaves nothing of a retried create behind: the retry gets the first task, its own items go', async () => {
    const me = ctx(uniqueId('tenant'));
    const first = newTask({ tenant: me.principal.tenant, hasPush: true });
    await store.create(me, { ...first, pushConfigs: [pushConfig(first.task.id)] });
    const retry = {
      ...newTask({ tenant: me.principal.tenant, hasPush: true }),
      idempotencyKey: first.idempotencyKey,
    };
    expect(retry.task.id).not.toBe(first.task.id);
    const result = await store.create(me, { ...retry, pushConfigs: [pushConfig(retry.task.id)] });
    expect(result).toMatchObject({ created: false, task: { id: first.task.id } });
    const left = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': taskPk(me.principal.tenant, retry.task.id) },
      }),
    );
    expect(left.Items).toEqual([]);
    expect(await store.readEvents(me, first.task.id, 0)).toHaveLength(first.events.length);
    expect(await store.listPushConfigs(me, first.task.id)).toHaveLength(1);
  });

  it('ends a task with an update of its snapshot and a put of its event, without looking for configs', async () => {
    const { reading } = await endTask(0);
    expect(reading.byCommand.UpdateItemCommand?.requests).toBe(1);
    expect(reading.byCommand.PutItemCommand?.requests).toBe(1);
    expect(reading.requests).toBe(2);
    expect(reading.rru).toBe(0);
  });

  it('claims and renews a task without an index write', async () => {
    const me = ctx(uniqueId('tenant'));
    const input = newTask({ tenant: me.principal.tenant });
    await store.create(me, input);
    const before = meter.reading();
    const lease = { owner: 'w', until: clock.now() + 30_000 };
    expect(await store.acquireLease(me, { taskId: input.task.id, lease, now: clock.now() })).toBeDefined();
    expect(await store.renewLease(me, input.task.id, { ...lease, until: lease.until + 30_000 })).toBe(true);
    const reading = meter.delta(before);
    expect(reading.requests).toBe(2);
    expect(reading.indexWru).toBe(0);
  });

  it('bills a snapshot whose JSON body is over 1 KB as one KB: the body is stored deflated', async () => {
    const me = ctx(uniqueId('tenant'));
    // the shape of an echo task at work: the same text in the history and an artifact
    const text = 'hello, store '.repeat(40);
    const input = newTask({ tenant: me.principal.tenant }, userMessage(text));
    await store.create(me, input);
    const task = await store.get(me, input.task.id);
    if (!task) throw new Error('no task');
    const { next, stored } = applyEvents(
      task,
      [
        { kind: 'status', status: { state: TaskState.Working } },
        { kind: 'artifact', artifact: { artifactId: 'echo', parts: [{ text }] }, lastChunk: true },
      ],
      isoAt(clock.now()),
    );
    expect(JSON.stringify([next.history, next.artifacts]).length).toBeGreaterThan(1_100);
    await store.commit(me, { taskId: task.id, expectedVersion: task.version, next, events: stored });
    // a lease claim rewrites the whole snapshot item outside a transaction: 1 WRU per started KB
    const before = meter.reading();
    const lease = { owner: 'w', until: clock.now() + 30_000 };
    const claimed = await store.acquireLease(me, { taskId: task.id, lease, now: clock.now() });
    expect(meter.delta(before).wru).toBe(1);
    expect(claimed?.artifacts[0]?.parts).toEqual([{ text }]);
    expect(claimed?.history[0]?.parts).toEqual([{ text }]);
    expect((await store.readEvents(me, task.id, 0)).map((e) => e.event)).toEqual(
      [...input.events, ...stored].map((e) => e.event),
    );
  });

  it('ends a task with push configs in the same two requests: their dispatcher stamps them (decision 76)', async () => {
    const { me, taskId, reading } = await endTask(2);
    expect(reading.requests).toBe(2);
    expect(reading.byCommand.QueryCommand).toBeUndefined();
    const item = await doc.send(
      new GetCommand({
        TableName: tableName,
        Key: { PK: taskPk(me.principal.tenant, taskId), SK: pushSk('c1') },
      }),
    );
    expect(item.Item?.expiresAt).toBeUndefined();
    // the snapshot and the event, each billed once (a transaction billed each twice: 4), and the index moves
    expect(reading.wru - reading.indexWru).toBe(2);
  });
});
