/**
 * The single table: keys PK/SK (strings), on-demand billing, two sparse GSIs for ListTasks
 * (GSI1: per tenant, GSI2: per context) and a TTL on `expiresAt` (epoch seconds).
 * The same definition serves DynamoDB Local, tests and the Terraform table (keep them in step).
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { GSI1, GSI2 } from './keys';

export const TTL_ATTRIBUTE = 'expiresAt';

export function taskTableDefinition(tableName: string): CreateTableCommandInput {
  const index = (name: string) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: `${name}PK`, KeyType: 'HASH' as const },
      { AttributeName: `${name}SK`, KeyType: 'RANGE' as const },
    ],
    // ListTasks returns whole records, so the index carries them (no second round trip).
    Projection: { ProjectionType: 'ALL' as const },
  });
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK'].map((AttributeName) => ({
      AttributeName,
      AttributeType: 'S' as const,
    })),
    KeySchema: [
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [index(GSI1), index(GSI2)],
  };
}

export interface EnsureTableOptions {
  /** how long to wait for the table and its indexes to become ACTIVE; default 60 s */
  timeoutMs?: number;
}

/** Creates the table if it is missing, waits until it and its indexes are ACTIVE, enables TTL. */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  opts: EnsureTableOptions = {},
): Promise<void> {
  if (!(await tableExists(client, tableName))) {
    try {
      await client.send(new CreateTableCommand(taskTableDefinition(tableName)));
    } catch (err) {
      if (!(err instanceof ResourceInUseException)) throw err; // created concurrently
    }
  }
  await waitUntilActive(client, tableName, opts.timeoutMs ?? 60_000);
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status !== 'ENABLED' && status !== 'ENABLING') {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
  }
}

async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return false;
    throw err;
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexes = Table?.GlobalSecondaryIndexes ?? [];
    if (Table?.TableStatus === 'ACTIVE' && indexes.every((i) => i.IndexStatus === 'ACTIVE')) return;
    if (Date.now() + delay > deadline) {
      throw new Error(
        `DynamoDB table ${tableName} is not ACTIVE after ${timeoutMs} ms (${Table?.TableStatus})`,
      );
    }
    await new Promise((done) => setTimeout(done, delay));
    delay = Math.min(delay * 2, 2000);
  }
}
