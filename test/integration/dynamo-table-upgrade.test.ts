/** ensureTable brings a table made before the reconciler index (e.g. `.local/dynamodb`) up to date. */
import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ensureTable, taskTableDefinition } from '../../adapters/dynamo/table-schema';
import { awsTestEnv } from '../support/moto';

const raw = new DynamoDBClient(awsTestEnv(inject('dynamoEndpoint')));
const tableName = `upgrade-${randomUUID()}`;
afterAll(async () => {
  await raw.send(new DeleteTableCommand({ TableName: tableName }));
  raw.destroy();
});

describe('ensureTable on an older table', () => {
  it('adds the missing reconciler index (GSI3) and keeps the others', async () => {
    const current = taskTableDefinition(tableName);
    await raw.send(
      new CreateTableCommand({
        ...current,
        AttributeDefinitions: current.AttributeDefinitions?.filter(
          (a) => !a.AttributeName?.startsWith('GSI3'),
        ),
        GlobalSecondaryIndexes: current.GlobalSecondaryIndexes?.filter((i) => i.IndexName !== 'GSI3'),
      }),
    );
    await ensureTable(raw, tableName);
    const { Table } = await raw.send(new DescribeTableCommand({ TableName: tableName }));
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    expect(indexes.map((i) => i.IndexName).sort()).toEqual(['GSI1', 'GSI2', 'GSI3']);
    expect(indexes.find((i) => i.IndexName === 'GSI3')?.Projection).toEqual({
      ProjectionType: 'INCLUDE',
      NonKeyAttributes: ['tenant', 'id'],
    });
    // DynamoDB Local backfills a new index slowly when the machine is busy.
  }, 120_000);
});
