/**
 * DynamoDB Local on a database file, as `npm start` runs it (.local/dynamodb): SQLite in
 * write-ahead-log mode (a write is an append, not several fsyncs), and every acknowledged write
 * still there after DynamoDB Local is killed with -9 and started again on the folder.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../../adapters/dynamo/dynamo-local-lock';
import { type DynamoLocal, startDynamoLocalProcess } from '../../adapters/dynamo/dynamo-local-process';
import { testDataDir } from '../support/temp-dir';

/** The one database file of a -sharedDb DynamoDB Local. */
const DB_FILE = 'shared-local-instance.db';
const TABLE = 'durability';

const running: DynamoLocal[] = [];
afterEach(async () => {
  for (const d of running.splice(0)) await d.stop();
});

async function start(dir: string): Promise<{ dynamo: DynamoLocal; client: DynamoDBClient }> {
  const dynamo = await startDynamoLocalProcess({ dbPath: dir });
  running.push(dynamo);
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return { dynamo, client };
}

/** SQLite's file format: bytes 18 and 19 of the header are 2 in WAL mode, 1 in journal mode. */
function sqliteJournalVersions(file: string): [number, number] {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(20);
    readSync(fd, header, 0, 20, 0);
    return [header[18] ?? 0, header[19] ?? 0];
  } finally {
    closeSync(fd);
  }
}

async function killed(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  for (const deadline = Date.now() + 20_000; isAlive(pid) && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(isAlive(pid)).toBe(false);
}

describe('DynamoDB Local on a database file', () => {
  it('keeps the file in write-ahead-log mode', async () => {
    const dir = testDataDir('dynamo-wal');
    const { client } = await start(dir);
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
      }),
    );
    client.destroy();
    expect(sqliteJournalVersions(join(dir, DB_FILE))).toEqual([2, 2]);
  }, 60_000);

  it('serves every acknowledged write after it was killed with -9 and started again', async () => {
    const dir = testDataDir('dynamo-kill');
    const first = await start(dir);
    await first.client.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
      }),
    );
    const keys = Array.from({ length: 40 }, (_, i) => `item-${i}`);
    for (const pk of keys) {
      await first.client.send(
        new PutItemCommand({ TableName: TABLE, Item: { PK: { S: pk }, n: { N: String(pk.length) } } }),
      );
    }
    first.client.destroy();
    await killed(first.dynamo.pid);
    await first.dynamo.stop(); // frees the folder (the process is gone already)

    const second = await start(dir);
    for (const pk of keys) {
      const got = await second.client.send(
        new GetItemCommand({ TableName: TABLE, Key: { PK: { S: pk } }, ConsistentRead: true }),
      );
      expect(got.Item?.PK?.S, pk).toBe(pk);
    }
    second.client.destroy();
  }, 90_000);
});
