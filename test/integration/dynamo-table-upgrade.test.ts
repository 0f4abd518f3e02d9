/**
 * ensureTable brings a table made before the reconciler index and the queued-work index (e.g.
 * `.local/dynamodb`) up to date.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable, taskTableDefinition } from '../../adapters/dynamo/table-schema';
import { type DynamoLocalHandle, startDynamoLocal } from '../support/dynamo-local';
import { awsTestEnv } from '../support/moto';

// Its own, empty DynamoDB Local: backfilling a new index on the shared instance, which holds
// every other test's tables, can take longer than any sensible timeout on a busy machine.
let dynamo: DynamoLocalHandle;
let raw: DynamoDBClient;
const tableName = `upgrade-${randomUUID()}`;
beforeAll(async () => {
  dynamo = await startDynamoLocal({ inMemory: true });
  raw = new DynamoDBClient(awsTestEnv(dynamo.endpoint));
});
afterAll(async () => {
  await raw?.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  raw?.destroy();
  await dynamo?.stop();
});

describe('ensureTable on an older table', () => {
  it('adds the missing reconciler (GSI3) and queued (GSI5) indexes and keeps the others', async () => {
    const current = taskTableDefinition(tableName);
    // a table of an earlier release: no GSI3 yet, and the keys-only GSI4 that GSI5 replaced (decision 84)
    await raw.send(
      new CreateTableCommand({
        ...current,
        AttributeDefinitions: [
          ...(current.AttributeDefinitions ?? []).filter((a) => !/^GSI[35]/.test(a.AttributeName ?? '')),
          { AttributeName: 'GSI4PK', AttributeType: 'S' },
          { AttributeName: 'GSI4SK', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          ...(current.GlobalSecondaryIndexes ?? []).filter(
            (i) => i.IndexName !== 'GSI3' && i.IndexName !== 'GSI5',
          ),
          {
            IndexName: 'GSI4',
            KeySchema: [
              { AttributeName: 'GSI4PK', KeyType: 'HASH' },
              { AttributeName: 'GSI4SK', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      }),
    );
    await ensureTable(raw, tableName);
    const { Table } = await raw.send(new DescribeTableCommand({ TableName: tableName }));
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    expect(indexes.map((i) => i.IndexName).sort()).toEqual(['GSI1', 'GSI2', 'GSI3', 'GSI4', 'GSI5']);
    expect(indexes.find((i) => i.IndexName === 'GSI3')?.Projection).toEqual({
      ProjectionType: 'INCLUDE',
      NonKeyAttributes: ['tenant', 'id'],
    });
    expect(indexes.find((i) => i.IndexName === 'GSI5')?.Projection).toEqual({
      ProjectionType: 'INCLUDE',
      NonKeyAttributes: ['agentId', 'contextId', 'state', 'expiresAt'],
    });
    // DynamoDB Local backfills a new index slowly when the machine is busy.
  }, 120_000);
});
