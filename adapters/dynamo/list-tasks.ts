/**
 * ListTasks on the sparse GSIs: GSI1 (tenant + agent, write-sharded: keys.ts SHARDS.agentList
 * partitions, merged by sort key in sharded-query.ts) or, with a contextId, GSI2 (tenant +
 * context, one partition, filtered on the agent), newest status first. The page token holds only
 * a sort key: sort keys are unique, so it resumes every shard at once. It bounds the key condition
 * inside partitions of the caller's own tenant, so a forged token can move the cursor but never
 * reach another tenant's tasks.
 * The indexes project only what the filters read; the page's records are then read from the
 * table (BatchGetItem, strongly consistent), in index order. GSIs are eventually consistent on
 * AWS: a task written a moment ago may be missing from a page, or placed (and filtered) by its
 * previous status, for a short while; the records themselves are current. The records are read in
 * chunks within the page's byte budget (adapters/shared/list-page-budget.ts). totalSize is a
 * Select=COUNT query per partition over the same range (it reads every matching index item: cost
 * grows with the agent's task count).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidParamsError, RetryableError } from '../../core/errors';
import type { ListTasksPage, ListTasksQuery } from '../../core/ports/task-store';
import type { TaskRecord } from '../../core/task-record';
import { fillPage } from '../shared/list-page-budget';
import { decodePageToken, encodePageToken } from '../shared/list-page-token';
import { agentListPks, contextListPk, GSI1, GSI2 } from './keys';
import { countShards, mergeShards, type QueryInput, type RunQuery } from './sharded-query';
import { fromTaskItem, itemKey } from './task-items';

/** With a status filter, read ahead: most index items may be filtered out. */
const FILTERED_READ_AHEAD = 100;
const MAX_SORT_KEY_BYTES = 1024;

interface Range {
  floor?: string;
  cursor?: string;
}

export async function listTasks(
  doc: DynamoDBDocumentClient,
  tableName: string,
  tenant: string,
  q: ListTasksQuery,
  nowMs: number,
): Promise<ListTasksPage> {
  const cursor = q.pageToken === undefined ? undefined : pageCursor(q.pageToken);
  const floor = q.statusTimestampAfter === undefined ? undefined : sortFloor(q.statusTimestampAfter);
  const run: RunQuery = (input) => doc.send(new QueryCommand({ TableName: tableName, ...input }));
  const base = { doc, run, tableName, tenant, q, nowMs };
  const empty = q.pageSize < 1 || (cursor !== undefined && floor !== undefined && cursor <= floor);
  const [totalSize, found] = await Promise.all([
    countTasks(base, floor),
    empty ? Promise.resolve([]) : fetchTasks(base, floor, cursor),
  ]);
  const candidates = found.slice(0, Math.max(q.pageSize, 0));
  const page = await fillPage(candidates, (chunk) => readRecords(base, chunk), q);
  const last = page.cutAfter ?? candidates[candidates.length - 1];
  const more = page.cutAfter !== undefined || found.length > candidates.length;
  return {
    tasks: page.tasks,
    // the index's sort key, not the record's: the cursor must be where the index has the task
    nextPageToken: more && last !== undefined ? encodePageToken(last.sort) : '',
    totalSize,
  };
}

/** An index entry: the task item's key and its place in the index. */
interface Found {
  key: { PK: string; SK: string };
  sort: string;
}

const BATCH_GET_MAX = 100;
const BATCH_GET_ROUNDS = 8;

/**
 * The records of the entries, in their order (undefined for a record gone meanwhile: TTL), and the
 * bytes read, from the consumed capacity (a strongly consistent read costs 1 unit per 4 KB).
 */
async function readRecords(
  base: Base,
  entries: readonly Found[],
): Promise<{ records: (TaskRecord | undefined)[]; heldBytes?: number }> {
  const items = new Map<string, Record<string, unknown>>();
  let units: number | undefined;
  for (let i = 0; i < entries.length; i += BATCH_GET_MAX) {
    let keys: Record<string, unknown>[] = entries.slice(i, i + BATCH_GET_MAX).map((e) => e.key);
    for (let round = 0; keys.length > 0; round++) {
      if (round >= BATCH_GET_ROUNDS) throw new RetryableError('DynamoDB left list reads unprocessed');
      const out = await base.doc.send(
        new BatchGetCommand({
          RequestItems: { [base.tableName]: { Keys: keys, ConsistentRead: true } },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      const used = out.ConsumedCapacity?.[0]?.CapacityUnits;
      units = used === undefined ? undefined : (units ?? 0) + used;
      for (const item of out.Responses?.[base.tableName] ?? []) items.set(`${item.PK}\u0000${item.SK}`, item);
      keys = out.UnprocessedKeys?.[base.tableName]?.Keys ?? [];
    }
  }
  const records = entries.map((e) => {
    const item = items.get(`${e.key.PK}\u0000${e.key.SK}`);
    if (item === undefined) return undefined;
    const record = fromTaskItem(item);
    return record.expiresAt === undefined || record.expiresAt * 1000 > base.nowMs ? record : undefined;
  });
  return units === undefined ? { records } : { records, heldBytes: units * 4096 };
}

interface Base {
  doc: DynamoDBDocumentClient;
  run: RunQuery;
  tableName: string;
  tenant: string;
  q: ListTasksQuery;
  nowMs: number;
}

/** Up to pageSize + 1 entries after the cursor (the extra one says whether there is a next page). */
async function fetchTasks(base: Base, floor?: string, cursor?: string): Promise<Found[]> {
  const range: Range = {};
  if (floor !== undefined) range.floor = floor;
  if (cursor !== undefined) range.cursor = cursor;
  const { index, pks } = partitions(base);
  const sortAttr = `${index}SK`;
  const items = await mergeShards(
    base.run,
    {
      pks,
      input: (pk) => queryInput(base, pk, range),
      sortAttr,
      descending: true,
      keep: (item) => item[sortAttr] !== cursor,
      ...(base.q.status === undefined ? {} : { minLimit: Math.ceil(FILTERED_READ_AHEAD / pks.length) }),
    },
    base.q.pageSize + 1,
  );
  return items.map((item) => ({
    key: itemKey(item),
    sort: String(item[sortAttr]),
  }));
}

function countTasks(base: Base, floor?: string): Promise<number> {
  const { pks } = partitions(base);
  return countShards(base.run, pks, (pk) => queryInput(base, pk, floor === undefined ? {} : { floor }));
}

/** The index and its partitions: every shard of the agent's GSI1 key, or the context's GSI2 key. */
function partitions({ tenant, q }: Base): { index: string; pks: readonly string[] } {
  return q.contextId === undefined
    ? { index: GSI1, pks: agentListPks(tenant, q.agentId) }
    : { index: GSI2, pks: [contextListPk(tenant, q.contextId)] };
}

function queryInput({ q, nowMs }: Base, pk: string, { floor, cursor }: Range): QueryInput {
  const index = q.contextId === undefined ? GSI1 : GSI2;
  const names: Record<string, string> = { '#pk': `${index}PK`, '#exp': 'expiresAt' };
  const values: Record<string, unknown> = { ':pk': pk, ':now': nowMs / 1000 };
  const filters = ['(attribute_not_exists(#exp) OR #exp > :now)'];
  if (q.contextId !== undefined) {
    // GSI2 serves context lookups across agents; ListTasks is per agent endpoint.
    names['#agent'] = 'agentId';
    values[':agent'] = q.agentId;
    filters.push('#agent = :agent');
  }
  let key = '#pk = :pk';
  if (floor !== undefined || cursor !== undefined) names['#sk'] = `${index}SK`;
  if (floor !== undefined) values[':floor'] = floor;
  if (cursor !== undefined) values[':cursor'] = cursor;
  if (floor !== undefined && cursor !== undefined) {
    // BETWEEN is inclusive and a filter cannot use key attributes: fetchTasks drops the cursor item.
    key += ' AND #sk BETWEEN :floor AND :cursor';
  } else if (floor !== undefined) {
    key += ' AND #sk >= :floor';
  } else if (cursor !== undefined) {
    key += ' AND #sk < :cursor';
  }
  if (q.status !== undefined) {
    names['#state'] = 'state';
    values[':state'] = q.status;
    filters.push('#state = :state');
  }
  return {
    IndexName: index,
    KeyConditionExpression: key,
    FilterExpression: filters.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: false,
  };
}

function pageCursor(token: string): string {
  const cursor = decodePageToken(token);
  if (Buffer.byteLength(cursor, 'utf8') > MAX_SORT_KEY_BYTES) {
    throw new InvalidParamsError('pageToken is not a token this server issued', [
      { field: 'pageToken', description: 'unknown or malformed page token' },
    ]);
  }
  return cursor;
}

export function sortFloor(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new InvalidParamsError('statusTimestampAfter is not a valid timestamp');
  return new Date(ms).toISOString();
}
