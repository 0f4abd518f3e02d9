/**
 * ListTasks on the sparse GSIs: GSI1 (tenant + agent, write-sharded: keys.ts SHARDS.agentList
 * partitions) or, with a contextId, GSI2 (tenant + context, one partition, filtered on the
 * agent), and for the tasks still SUBMITTED, which are in neither yet (README decision 84), the
 * tenant's GSI5 shards filtered on the agent (and context); all merged by sort key in
 * sharded-query.ts, newest status first. The indexes share one sort key, the status timestamp and
 * task id. The page token holds only a sort key: sort keys are unique, so it resumes every
 * partition at once. It bounds the key condition inside partitions of the caller's own tenant, so
 * a forged token can move the cursor but never reach another tenant's tasks. A task that has just
 * left SUBMITTED may still be in GSI5 for a moment (GSIs lag the table): its record says so, and
 * only its GSI1 or GSI2 entry lists it (the count may include both for that moment).
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
import { TaskState } from '../../core/a2a/task-state';
import { InvalidParamsError, RetryableError } from '../../core/errors';
import type { ListTasksPage, ListTasksQuery } from '../../core/ports/task-store';
import type { TaskRecord } from '../../core/task-record';
import { fillPage } from '../shared/list-page-budget';
import { decodePageToken, encodePageToken } from '../shared/list-page-token';
import { agentListPks, contextListPk, GSI1, GSI2, GSI5, queuedPks } from './keys';
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

/** An index entry: the task item's key, its place in the index, and whether GSI5 (queued) holds it. */
interface Found {
  key: { PK: string; SK: string };
  sort: string;
  queued: boolean;
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
    // one key once: a task can have two entries for a moment (GSI5 and GSI1), and BatchGetItem refuses duplicates
    const chunk = new Map(
      entries.slice(i, i + BATCH_GET_MAX).map((e) => [`${e.key.PK}\u0000${e.key.SK}`, e.key]),
    );
    let keys: Record<string, unknown>[] = [...chunk.values()];
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
    // A GSI5 entry of a task that has left SUBMITTED is one the index has not caught up with: the
    // task is listed from GSI1 or GSI2, where it is now.
    if (e.queued && record.status.state !== TaskState.Submitted) return undefined;
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
  const parts = partitions(base);
  const items = await mergeShards(
    base.run,
    {
      pks: [...parts.keys()],
      input: (pk) => queryInput(base, pk, parts.get(pk) ?? GSI1, range),
      sortAttr: (pk) => `${parts.get(pk) ?? GSI1}SK`,
      descending: true,
      keep: (item) => sortOf(item) !== cursor,
      ...(base.q.status === undefined ? {} : { minLimit: Math.ceil(FILTERED_READ_AHEAD / parts.size) }),
    },
    base.q.pageSize + 1,
  );
  return items.map((item) => ({ key: itemKey(item), sort: sortOf(item), queued: item.GSI5SK !== undefined }));
}

/** An index item's sort key: it carries the keys of the index it was read from, and no other's. */
const sortOf = (item: Record<string, unknown>): string => String(item.GSI1SK ?? item.GSI2SK ?? item.GSI5SK);

function countTasks(base: Base, floor?: string): Promise<number> {
  const parts = partitions(base);
  return countShards(base.run, [...parts.keys()], (pk) =>
    queryInput(base, pk, parts.get(pk) ?? GSI1, floor === undefined ? {} : { floor }),
  );
}

/**
 * The partitions to read, each with its index: every shard of the agent's GSI1 key or the
 * context's GSI2 key, and the tenant's GSI5 shards unless the status filter rules queued tasks out.
 */
function partitions({ tenant, q }: Base): Map<string, string> {
  const parts = new Map<string, string>(
    q.contextId === undefined
      ? agentListPks(tenant, q.agentId).map((pk) => [pk, GSI1])
      : [[contextListPk(tenant, q.contextId), GSI2]],
  );
  if (q.status === undefined || q.status === TaskState.Submitted) {
    for (const pk of queuedPks(tenant)) parts.set(pk, GSI5);
  }
  return parts;
}

function queryInput({ q, nowMs }: Base, pk: string, index: string, { floor, cursor }: Range): QueryInput {
  const names: Record<string, string> = { '#pk': `${index}PK`, '#exp': 'expiresAt' };
  const values: Record<string, unknown> = { ':pk': pk, ':now': nowMs / 1000 };
  const filters = ['(attribute_not_exists(#exp) OR #exp > :now)'];
  if (index !== GSI1) {
    // GSI2 serves context lookups across agents and GSI5 holds a tenant's queued tasks of every
    // agent; ListTasks is per agent endpoint.
    names['#agent'] = 'agentId';
    values[':agent'] = q.agentId;
    filters.push('#agent = :agent');
  }
  if (index === GSI5 && q.contextId !== undefined) {
    names['#ctx'] = 'contextId';
    values[':ctx'] = q.contextId;
    filters.push('#ctx = :ctx');
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
  // GSI5 is read only for queued tasks; an entry whose task left SUBMITTED through an earlier
  // release's commit, which did not know GSI5, is not one
  const state = index === GSI5 ? TaskState.Submitted : q.status;
  if (state !== undefined) {
    names['#state'] = 'state';
    values[':state'] = state;
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
