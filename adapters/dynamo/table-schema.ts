/**
 * The single table: keys PK/SK (strings), on-demand billing, two sparse GSIs for ListTasks
 * (GSI1: per tenant, GSI2: per context; projecting the attributes their filters read), a sparse
 * GSI3 for the reconciler (due SUBMITTED/WORKING tasks, projecting tenant and id), a sparse GSI5
 * of each tenant's SUBMITTED tasks (counted for the queued-work cap and listed while queued,
 * projecting what the list's filters read) and a TTL on `expiresAt` (epoch seconds). A table
 * created with the earlier ALL projections still serves; one with the keys-only GSI4 of earlier
 * releases gets GSI5 added, and its GSI4 is no longer read or written (README decision 84).
 * The same definition serves DynamoDB Local, tests and the Terraform table (keep them in step).
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { GSI1, GSI2, GSI3, GSI5 } from './keys';

export const TTL_ATTRIBUTE = 'expiresAt';

const INDEX_NAMES = [GSI1, GSI2, GSI3, GSI5] as const;

/** The non-key attributes each index projects (terraform/modules/table/main.tf: the same). */
export const INDEX_ATTRIBUTES: Readonly<Record<(typeof INDEX_NAMES)[number], readonly string[]>> = {
  [GSI1]: ['agentId', 'state', 'expiresAt'],
  [GSI2]: ['agentId', 'state', 'expiresAt'],
  [GSI3]: ['tenant', 'id'],
  [GSI5]: ['agentId', 'contextId', 'state', 'expiresAt'],
};

function index(name: (typeof INDEX_NAMES)[number]): GlobalSecondaryIndex {
  return {
    IndexName: name,
    KeySchema: [
      { AttributeName: `${name}PK`, KeyType: 'HASH' },
      { AttributeName: `${name}SK`, KeyType: 'RANGE' },
    ],
    // The list indexes carry what their filters read, not the record: an index item then changes
    // only with a task's status (not with its lease, artifacts or history), and costs 1 WRU when
    // it does. ListTasks reads the records from the table (list-tasks.ts). The reconciler only
    // needs to know which task to re-read.
    Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...INDEX_ATTRIBUTES[name]] },
  };
}

const keyAttributes = (names: readonly string[]) =>
  names
    .flatMap((n) => [`${n}PK`, `${n}SK`])
    .map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const }));

export function taskTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'PK', AttributeType: 'S' },
      { AttributeName: 'SK', AttributeType: 'S' },
      ...keyAttributes(INDEX_NAMES),
    ],
    KeySchema: [
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: INDEX_NAMES.map(index),
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
  if (await addMissingIndexes(client, tableName))
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

/** A table created before an index was added (e.g. `.local/dynamodb`) gets it, one per call. */
async function addMissingIndexes(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  const missing = INDEX_NAMES.filter((name) => !present.has(name));
  for (const name of missing) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: keyAttributes([name]),
        GlobalSecondaryIndexUpdates: [{ Create: index(name) }],
      }),
    );
    await waitUntilActive(client, tableName, 60_000);
  }
  return missing.length > 0;
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
