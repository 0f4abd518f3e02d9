/**
 * What one DynamoDB request of each kind the store makes costs DynamoDB Local (its JVM's CPU) and
 * this process (the AWS SDK's), measured in isolation: GetItem, Query, conditional PutItem,
 * conditional UpdateItem and TransactWriteItems of 2 and 3 items, on the store's own table (its
 * four GSIs) with items shaped like a task's. Not a section of `npm run bench`; run it to see where
 * the local stack's DynamoDB time goes:
 *   npx tsx scripts/bench/dynamo-local-probe.ts [--file] [--signed] [--ops 1500] [--concurrency 4] [-- <JVM flags>]
 * --file runs DynamoDB Local on a database file (as `npm start` does) instead of -inMemory;
 * --no-indexes creates the table without the store's GSIs;
 * --signed signs each request (SigV4) as the SDK does by default, instead of the local stack's
 * fixed authorization header (adapters/dynamo/dynamo-local-client.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { dynamoLocalClient } from '../../adapters/dynamo/dynamo-local-client';
import { startDynamoLocalProcess } from '../../adapters/dynamo/dynamo-local-process';
import { ensureTable, taskTableDefinition } from '../../adapters/dynamo/table-schema';
import { processCpuMicros } from './process-cpu';

const { values, positionals } = parseArgs({
  options: {
    file: { type: 'boolean', default: false },
    ops: { type: 'string', default: '1500' },
    concurrency: { type: 'string', default: '4' },
    signed: { type: 'boolean', default: false },
    'no-indexes': { type: 'boolean', default: false },
  },
  allowPositionals: true,
});
const OPS = Number(values.ops);
const CONCURRENCY = Number(values.concurrency);
const TABLE = 'probe';
const TEXT = 'x'.repeat(600);

const dir = values.file ? await mkdtemp(join(tmpdir(), 'ddb-probe-')) : undefined;
const dynamo = await startDynamoLocalProcess({
  ...(dir ? { dbPath: dir } : { inMemory: true }),
  jvmArgs: positionals,
});
// the local stack's client (a fixed authorization header), or --signed: the SDK's SigV4 signing
const raw = values.signed
  ? new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    })
  : dynamoLocalClient(dynamo.endpoint);
if (values['no-indexes']) {
  // the store's keys without its four GSIs: what the indexes cost DynamoDB Local per write
  const { GlobalSecondaryIndexes: _, ...bare } = taskTableDefinition(TABLE);
  await raw.send(
    new CreateTableCommand({ ...bare, AttributeDefinitions: bare.AttributeDefinitions?.slice(0, 2) }),
  );
} else await ensureTable(raw, TABLE);
const doc = DynamoDBDocumentClient.from(raw);

const task = (i: number, v: number) => ({
  PK: `T#probe#TASK#${i}`,
  SK: 'TASK',
  version: v,
  state: 'TASK_STATE_WORKING',
  agentId: 'echo',
  status: { state: 'TASK_STATE_WORKING', message: { parts: [{ text: TEXT }] } },
  GSI1PK: 'T#probe#AGENT#echo',
  GSI1SK: `${Date.now()}#${i}`,
  GSI2PK: `T#probe#CTX#${i}`,
  GSI2SK: `${Date.now()}#${i}`,
});
const event = (i: number, seq: number) => ({
  PK: `T#probe#TASK#${i}`,
  SK: `EVT#${String(seq).padStart(10, '0')}`,
  event: { kind: 'status', parts: [{ text: TEXT }] },
});
const update = (i: number, v: number) => ({
  TableName: TABLE,
  Key: { PK: `T#probe#TASK#${i}`, SK: 'TASK' },
  UpdateExpression: 'SET version = :n, GSI1SK = :s',
  ConditionExpression: 'version = :v',
  ExpressionAttributeValues: { ':n': v + 1, ':v': v, ':s': `${Date.now()}#${i}` },
});

let seq = 1_000;
const versions = new Map<number, number>();

/** A commit as the store makes it: `events` conditional event puts and the snapshot update. */
function commitOf(i: number, events: number) {
  const v = versions.get(i) ?? 1;
  versions.set(i, v + 1);
  const puts = Array.from({ length: events }, () => ({
    Put: { TableName: TABLE, Item: event(i, seq++), ConditionExpression: 'attribute_not_exists(PK)' },
  }));
  return doc.send(new TransactWriteCommand({ TransactItems: [...puts, { Update: update(i, v) }] }));
}

const OPERATIONS: Record<string, (i: number) => Promise<unknown>> = {
  PutItem: (i) => {
    versions.set(i, 1);
    return doc.send(
      new PutCommand({ TableName: TABLE, Item: task(i, 1), ConditionExpression: 'attribute_not_exists(PK)' }),
    );
  },
  GetItem: (i) =>
    doc.send(
      new GetCommand({
        TableName: TABLE,
        Key: { PK: `T#probe#TASK#${i}`, SK: 'TASK' },
        ConsistentRead: true,
      }),
    ),
  UpdateItem: (i) => {
    const v = versions.get(i) ?? 1;
    versions.set(i, v + 1);
    return doc.send(new UpdateCommand(update(i, v)));
  },
  'TransactWriteItems (2)': (i) => commitOf(i, 1),
  'TransactWriteItems (3)': (i) => commitOf(i, 2),
  Query: (i) =>
    doc.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :e)',
        ExpressionAttributeValues: { ':pk': `T#probe#TASK#${i}`, ':e': 'EVT#' },
        ConsistentRead: true,
      }),
    ),
};

async function run(name: string, op: (i: number) => Promise<unknown>, n: number) {
  const jvm0 = processCpuMicros(dynamo.pid);
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await op(next++ % 200);
    }),
  );
  const ms = performance.now() - t0;
  const own = process.cpuUsage(own0);
  return {
    name,
    perSecond: Math.round((n / ms) * 1000),
    jvmMsPerOp: ((processCpuMicros(dynamo.pid) - jvm0) / n / 1000).toFixed(2),
    clientMsPerOp: ((own.user + own.system) / n / 1000).toFixed(2),
  };
}

/** The JVM's CPU by thread kind (GC, JIT compiler, Jetty, SQLite queue, …) since it started. */
function threadCpu(pid: number) {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[\d#-]+$/, '');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    byName.set(name, (byName.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) * 10);
  }
  return byName;
}

function threadDelta(before: Map<string, number>, after: Map<string, number>) {
  return [...after]
    .map(([thread, ms]) => ({ thread, ms: ms - (before.get(thread) ?? 0) }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 8);
}

try {
  console.log(
    `DynamoDB Local ${dir ? 'file' : 'in memory'}, ${values.signed ? 'signed' : 'fixed authorization'}; JVM flags: ${positionals.join(' ') || '(none)'}`,
  );
  await run('PutItem', OPERATIONS.PutItem as (i: number) => Promise<unknown>, 200);
  // warm-up: the JIT compiles DynamoDB Local's hot paths in the first thousands of requests
  for (const [name, op] of Object.entries(OPERATIONS)) if (name !== 'PutItem') await run(name, op, OPS);
  const threadsBefore = threadCpu(dynamo.pid);
  const rows = [];
  for (const [name, op] of Object.entries(OPERATIONS)) {
    if (name === 'PutItem') {
      // fresh items, so the conditional put succeeds
      let fresh = 1_000;
      rows.push(await run(name, () => op(fresh++), OPS));
    } else rows.push(await run(name, op, OPS));
  }
  console.table(rows);
  console.log('JVM CPU by thread during the measured runs (ms):');
  console.table(threadDelta(threadsBefore, threadCpu(dynamo.pid)));
} finally {
  raw.destroy();
  await dynamo.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}
