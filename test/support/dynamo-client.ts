/** A raw DynamoDB client on the DynamoDB Local that vitest's global setup started. */
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { ensureTable } from '../../adapters/dynamo/table-schema';

export const localDynamoClient = (): DynamoDBClient =>
  new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });

/**
 * The store's table `tableName` for a test file: created before its tests, deleted after them
 * (and `raw` closed).
 */
export function useStoreTable(raw: DynamoDBClient, tableName: string): void {
  beforeAll(() => ensureTable(raw, tableName));
  afterAll(async () => {
    await raw.send(new DeleteTableCommand({ TableName: tableName }));
    raw.destroy();
  });
}
