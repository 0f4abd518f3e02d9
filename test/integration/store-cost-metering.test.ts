/**
 * The store-cost bench's meter (scripts/bench/dynamo-metering.ts) on DynamoDB Local: a transaction
 * is billed per item (2 WRU per started KB of each item, its index writes once), not as DynamoDB
 * Local reports it (twice the sum of the distinct per-item units).
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../adapters/dynamo/table-schema';
import { meterDynamo } from '../../scripts/bench/dynamo-metering';
import { localDynamoClient } from '../support/dynamo-client';

const tableName = `metering-${randomUUID()}`;
const raw = localDynamoClient();
const meter = meterDynamo(raw);
const doc = DynamoDBDocumentClient.from(raw);

beforeAll(async () => {
  await ensureTable(raw, tableName);
});

afterAll(async () => {
  await raw.send(new DeleteTableCommand({ TableName: tableName }));
  raw.destroy();
});

const put = (SK: string, bytes: number, extra: Record<string, unknown> = {}) => ({
  Put: { TableName: tableName, Item: { PK: `p-${randomUUID()}`, SK, x: 'x'.repeat(bytes), ...extra } },
});

async function transactionUnits(items: ReturnType<typeof put>[]) {
  const before = meter.reading();
  await doc.send(new TransactWriteCommand({ TransactItems: items }));
  return meter.delta(before);
}

describe('store-cost meter', () => {
  it('bills every item of a transaction twice, items of the same size included', async () => {
    const small = await transactionUnits([put('a', 100), put('b', 100), put('c', 100)]);
    expect(small.wru).toBe(6);
    const mixed = await transactionUnits([put('a', 1500), put('b', 1500), put('c', 100)]);
    expect(mixed.wru).toBe(10);
    expect(mixed.requests).toBe(1);
  });

  it('counts the index writes of a transaction once per index item', async () => {
    const units = await transactionUnits([
      put('a', 100, { GSI1PK: 'g', GSI1SK: '1', agentId: 'x' }),
      put('b', 100, { GSI1PK: 'g', GSI1SK: '2', agentId: 'x' }),
      put('c', 100, { GSI1PK: 'g', GSI1SK: '3', agentId: 'x' }),
    ]);
    expect(units.indexWru).toBe(3);
    expect(units.wru).toBe(9);
  });
});
