/**
 * Counts DynamoDB requests and capacity units: an SDK middleware that sets
 * `ReturnConsumedCapacity` on every data-plane command and sums the `ConsumedCapacity` of the
 * responses. It asks for `INDEXES` (the `TOTAL` figure split into table and index parts). AWS bills
 * transactional writes twice (2 WRU per KB of each item); the index updates a
 * write causes are standard writes and are counted once. DynamoDB Local's figure for a transaction is
 * wrong (twice the sum of the distinct per-item units, transact-billing.ts), so a transaction's units
 * are computed from its items' before and after images instead. Conditional failures are counted as
 * requests (AWS bills them too; DynamoDB Local returns no capacity for them, so unit counts are a
 * lower bound when conflicts occur).
 */
import { type AttributeValue, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type Image, transactItemCost } from './transact-billing';

const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand']);
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);
const TRANSACT_WRITE = 'TransactWriteItemsCommand';
const TRANSACT_READ = 'TransactGetItemsCommand';

export interface MeterReading {
  requests: number;
  readRequests: number;
  writeRequests: number;
  /** read request units (strongly consistent reads: 1 per 4 KB) */
  rru: number;
  /** write request units, transactional writes counted twice */
  wru: number;
  /** of `wru`: the units of index updates (GSI1-3) */
  indexWru: number;
  failed: number;
  byCommand: Record<string, { requests: number; units: number; indexUnits: number }>;
}

export interface Meter {
  reading(): MeterReading;
  /** the difference since `since` */
  delta(since: MeterReading): MeterReading;
  reset(): void;
}

interface Capacity {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

const zero = (): MeterReading => ({
  requests: 0,
  readRequests: 0,
  writeRequests: 0,
  rru: 0,
  wru: 0,
  indexWru: 0,
  failed: 0,
  byCommand: {},
});

/** Table and index units of a response; the table part multiplied by `tableFactor`. */
function unitsOf(consumed: unknown, tableFactor: number): { total: number; index: number } {
  const list: Capacity[] = Array.isArray(consumed)
    ? consumed
    : consumed === undefined
      ? []
      : [consumed as Capacity];
  let total = 0;
  let index = 0;
  for (const c of list) {
    const indexes = Object.values(c.GlobalSecondaryIndexes ?? {}).reduce(
      (s, i) => s + (i.CapacityUnits ?? 0),
      0,
    );
    const table = c.Table?.CapacityUnits ?? (c.CapacityUnits ?? 0) - indexes;
    total += table * tableFactor + indexes;
    index += indexes;
  }
  return { total, index };
}

export function meterDynamo(client: DynamoDBClient): Meter {
  let current = zero();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (unmetered.has(args.input as object)) return next(args);
      const command = context.commandName ?? 'unknown';
      const isRead = READS.has(command) || command === TRANSACT_READ;
      const isWrite = WRITES.has(command) || command === TRANSACT_WRITE;
      if (isRead || isWrite) (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'INDEXES';
      const entry = current.byCommand[command] ?? { requests: 0, units: 0, indexUnits: 0 };
      current.byCommand[command] = entry;
      current.requests += 1;
      entry.requests += 1;
      if (isRead) current.readRequests += 1;
      if (isWrite) current.writeRequests += 1;
      try {
        const items = command === TRANSACT_WRITE ? transactKeys(args.input) : [];
        const before = await Promise.all(items.map((i) => image(client, i.table, i.key)));
        const result = await next(args);
        const output = result.output as { ConsumedCapacity?: unknown };
        const units =
          command === TRANSACT_WRITE
            ? await transactUnits(client, items, before)
            : unitsOf(output.ConsumedCapacity, command === TRANSACT_READ ? 2 : 1);
        entry.units += units.total;
        entry.indexUnits += units.index;
        if (isRead) current.rru += units.total;
        if (isWrite) {
          current.wru += units.total;
          current.indexWru += units.index;
        }
        return result;
      } catch (err) {
        current.failed += 1;
        throw err;
      }
    },
    { step: 'initialize', name: 'benchCapacityMeter' },
  );
  return {
    reading: () => structuredClone(current),
    delta(since) {
      const d = zero();
      d.requests = current.requests - since.requests;
      d.readRequests = current.readRequests - since.readRequests;
      d.writeRequests = current.writeRequests - since.writeRequests;
      d.rru = current.rru - since.rru;
      d.wru = current.wru - since.wru;
      d.indexWru = current.indexWru - since.indexWru;
      d.failed = current.failed - since.failed;
      for (const [name, c] of Object.entries(current.byCommand)) {
        const before = since.byCommand[name] ?? { requests: 0, units: 0, indexUnits: 0 };
        if (c.requests !== before.requests) {
          d.byCommand[name] = {
            requests: c.requests - before.requests,
            units: c.units - before.units,
            indexUnits: c.indexUnits - before.indexUnits,
          };
        }
      }
      return d;
    },
    reset: () => {
      current = zero();
    },
  };
}

/** The meter's own reads of before and after images: not counted. */
const unmetered = new WeakSet<object>();

interface TransactKey {
  table: string;
  key: Record<string, AttributeValue>;
  conditionCheckOnly: boolean;
}

/** Table and key of each item of a TransactWriteItems input (DocumentClient or low-level values). */
function transactKeys(input: unknown): TransactKey[] {
  const list = (input as { TransactItems?: Record<string, Record<string, unknown>>[] }).TransactItems ?? [];
  return list.map((entry) => {
    const [kind, op] = Object.entries(entry)[0] ?? ['', {}];
    const source = (kind === 'Put' ? op.Item : op.Key) as Record<string, unknown>;
    const key: Record<string, AttributeValue> = {};
    for (const name of ['PK', 'SK']) {
      const v = source[name];
      key[name] = typeof v === 'string' ? { S: v } : (v as AttributeValue);
    }
    return { table: String(op.TableName), key, conditionCheckOnly: kind === 'ConditionCheck' };
  });
}

async function image(
  client: DynamoDBClient,
  table: string,
  key: Record<string, AttributeValue>,
): Promise<Image> {
  const input = { TableName: table, Key: key, ConsistentRead: true };
  unmetered.add(input);
  return (await client.send(new GetItemCommand(input))).Item;
}

async function transactUnits(
  client: DynamoDBClient,
  items: TransactKey[],
  before: Image[],
): Promise<{ total: number; index: number }> {
  const after = await Promise.all(items.map((i) => image(client, i.table, i.key)));
  let total = 0;
  let index = 0;
  items.forEach((item, i) => {
    const cost = transactItemCost(before[i], after[i], item.conditionCheckOnly);
    total += cost.table + cost.index;
    index += cost.index;
  });
  return { total, index };
}
