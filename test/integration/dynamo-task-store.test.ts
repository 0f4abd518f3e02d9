/**
 * DynamoTaskStore on DynamoDB Local: the shared TaskStore contract, plus what only the real
 * table shows (item layout, TTL setup, payloads a native map could not hold).
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { agentListPk, queuedPk, queuedSk, taskKey } from '../../adapters/dynamo/keys';
import { ensureTable } from '../../adapters/dynamo/table-schema';
import { toPushItem } from '../../adapters/dynamo/task-items';
import { TaskState } from '../../core/a2a/task-state';
import { PushConfigNotOwnedError } from '../../core/errors';
import { taskStoreContract } from '../contract/task-store.contract';
import { localDynamoClient } from '../support/dynamo-client';
import {
  agentMessage,
  ctx,
  newTask,
  pushConfig,
  testClock,
  uniqueId,
  userMessage,
} from '../support/factories';

const tableName = `tasks-${randomUUID()}`;
const raw = localDynamoClient();
// Default marshalling options on purpose: the store must not depend on how the client is set up.
const doc = DynamoDBDocumentClient.from(raw);

beforeAll(async () => {
  await ensureTable(raw, tableName);
});

afterAll(async () => {
  await raw.send(new DeleteTableCommand({ TableName: tableName }));
  raw.destroy();
});

taskStoreContract('DynamoTaskStore on DynamoDB Local', async () => {
  const clock = testClock();
  return { store: new DynamoTaskStore({ client: doc, tableName, clock }), clock };
});

describe('DynamoTaskStore table', () => {
  const clock = testClock();
  const store = new DynamoTaskStore({ client: doc, tableName, clock });

  it('creates the table once and enables TTL on expiresAt', async () => {
    await ensureTable(raw, tableName);
    const ttl = await raw.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: 'expiresAt',
      TimeToLiveStatus: 'ENABLED',
    });
  });

  it('writes the snapshot, events and idempotency record under tenant-scoped keys', async () => {
    const me = ctx(uniqueId('tenant'));
    const tenant = me.principal.tenant;
    const input = newTask({ tenant });
    await store.create(me, input);
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: taskKey(tenant, input.task.id) }),
    );
    expect(Item).toMatchObject({
      PK: `T#${tenant}#TASK#${input.task.id}`,
      SK: 'TASK',
      GSI1PK: agentListPk(tenant, 'echo', input.task.id),
      GSI2PK: `T#${tenant}#CTX#${input.task.contextId}`,
      // queued: listed through GSI5 until it leaves SUBMITTED, not yet in GSI1 or GSI2 (decision 84)
      GSI5PK: queuedPk(tenant, input.task.id),
      GSI5SK: queuedSk('echo', `${input.task.createdAt}#${input.task.id}`),
      state: TaskState.Submitted,
      version: 1,
    });
    expect(Item?.GSI1SK).toBeUndefined();
    expect(Item?.GSI2SK).toBeUndefined();
    expect(Item?.body).toBeInstanceOf(Uint8Array);
    const partition = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `T#${tenant}#TASK#${input.task.id}` },
      }),
    );
    expect(partition.Items?.map((i) => i.SK)).toEqual(['EVT#0000000001', 'TASK']);
    const mapping = await doc.send(
      new GetCommand({
        TableName: tableName,
        Key: { PK: `T#${tenant}#MSG#${input.idempotencyKey}`, SK: 'MSG' },
      }),
    );
    expect(mapping.Item?.taskId).toBe(input.task.id);
  });

  it('keeps a direct reply out of the list indexes', async () => {
    const me = ctx(uniqueId('tenant'));
    const input = newTask({ tenant: me.principal.tenant, directReply: agentMessage('hi') });
    await store.create(me, input);
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: taskKey(me.principal.tenant, input.task.id) }),
    );
    expect(Item?.GSI1PK).toBeUndefined();
    expect(Item?.GSI2PK).toBeUndefined();
  });

  it('stores a large body deflated and still reads one written as a JSON string', async () => {
    const me = ctx(uniqueId('tenant'));
    const tenant = me.principal.tenant;
    const input = newTask({ tenant }, userMessage('a long question '.repeat(50)));
    await store.create(me, input);
    const key = taskKey(tenant, input.task.id);
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: key }));
    expect(Item?.body).toBeInstanceOf(Uint8Array);
    const stored = await store.get(me, input.task.id);
    expect(stored?.history).toEqual(input.task.history);
    // the form every body had before: the same record, its body a JSON string
    const legacyBody = JSON.stringify({
      status: stored?.status,
      artifacts: stored?.artifacts,
      history: stored?.history,
    });
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...Item, body: legacyBody } }));
    expect((await store.get(me, input.task.id))?.history).toEqual(input.task.history);
    expect((await store.readEvents(me, input.task.id, 0))[0]?.event).toEqual(input.events[0]?.event);
  });

  it('round-trips payloads that a native DynamoDB map could not hold', async () => {
    const me = ctx(uniqueId('tenant'));
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 40; i++) deep = { nested: deep };
    const metadata = { '': 'empty key', big: 2 ** 64, tiny: 1e-200, huge: 1e200, deep };
    const input = newTask({ tenant: me.principal.tenant, metadata });
    await store.create(me, input);
    expect((await store.get(me, input.task.id))?.metadata).toEqual(metadata);
  });

  it('keeps ownership of a push config item written before `owner` was an attribute', async () => {
    const me = ctx(uniqueId('tenant'), 'alice');
    const bob = ctx(me.principal.tenant, 'bob');
    const input = newTask({ tenant: me.principal.tenant });
    await store.create(me, input);
    const taskId = input.task.id;
    const config = pushConfig(taskId, { id: 'legacy' });
    const { owner: _, ...legacyItem } = toPushItem(me.principal.tenant, taskId, config);
    await doc.send(new PutCommand({ TableName: tableName, Item: legacyItem }));
    await expect(
      store.putPushConfig(bob, taskId, { ...pushConfig(taskId, { id: 'legacy' }), owner: 'bob' }),
    ).rejects.toBeInstanceOf(PushConfigNotOwnedError);
    await expect(store.deletePushConfig(bob, taskId, 'legacy')).rejects.toBeInstanceOf(
      PushConfigNotOwnedError,
    );
    const replaced = pushConfig(taskId, { id: 'legacy', url: 'https://hooks.example.com/new' });
    await store.putPushConfig(me, taskId, replaced);
    expect(await store.getPushConfig(me, taskId, 'legacy')).toEqual(replaced);
    await store.deletePushConfig(me, taskId, 'legacy');
    expect(await store.listPushConfigs(me, taskId)).toEqual([]);
  });
});
