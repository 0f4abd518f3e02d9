/** DynamoCheckpointer on DynamoDB Local: the shared checkpointer contract, plus its item layout. */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoCheckpointer } from '../../adapters/dynamo/dynamo-checkpointer';
import { taskPk } from '../../adapters/dynamo/keys';
import { ensureTable } from '../../adapters/dynamo/table-schema';
import { checkpointerContract } from '../contract/checkpointer.contract';
import { testClock, uniqueId } from '../support/factories';
import { awsTestEnv } from '../support/moto';

const tableName = `ckpt-${randomUUID()}`;
const raw = new DynamoDBClient(awsTestEnv(inject('dynamoEndpoint')));
const client = DynamoDBDocumentClient.from(raw);

beforeAll(() => ensureTable(raw, tableName));
afterAll(async () => {
  await raw.send(new DeleteTableCommand({ TableName: tableName }));
  raw.destroy();
});

checkpointerContract('DynamoCheckpointer on DynamoDB Local', async () => {
  const clock = testClock(Date.now());
  const ttlSeconds = 3600;
  return { clock, ttlSeconds, saver: DynamoCheckpointer.factory({ client, tableName, ttlSeconds, clock }) };
});

describe('DynamoCheckpointer items', () => {
  it('keeps a split checkpoint in the task partition, under CKP sort keys, with a TTL', async () => {
    const tenant = uniqueId('tenant');
    const taskId = uniqueId('task');
    const saver = new DynamoCheckpointer({ client, tableName, tenant, ttlSeconds: 60 });
    const checkpoint = {
      v: 4,
      id: '1f000000-0000-6000-8000-000000000001',
      ts: new Date().toISOString(),
      channel_values: { big: 'x'.repeat(800_000) },
      channel_versions: {},
      versions_seen: {},
    };
    await saver.put(
      { configurable: { thread_id: taskId } },
      checkpoint,
      { source: 'input', step: -1, parents: {} },
      {},
    );
    const { Items = [] } = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': taskPk(tenant, taskId) },
      }),
    );
    expect(Items.map((i) => i.SK)).toEqual([
      `CKPT##${checkpoint.id}`,
      `CKPX#T##${checkpoint.id}#001`,
      `CKPX#T##${checkpoint.id}#002`,
    ]);
    for (const item of Items) expect(item.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });
});
