/**
 * ListTasks on the sparse GSIs: GSI1 (tenant + agent, write-sharded: keys.ts SHARDS.agentList
 * partitions) or, with a contextId, GSI2 (tenant + context, one partition, filtered on the
 * agent), and for the tasks still SUBMITTED, which are in neither yet (README decision 84), the
 * agent's key range in each of the tenant's GSI5 shards (keys.ts queuedSk; filtered on the
 * context); all merged in sharded-query.ts, newest status first, by the status sort key they share
 * (the status timestamp and task id; GSI5's after the agent's prefix). The page token holds only
 * that sort key: sort keys are unique, so it resumes every partition at once. It bounds the key
 * condition inside partitions of the caller's own tenant (and agent range), so a forged token can
 * move the cursor but never reach another tenant's tasks. A task that has just left SUBMITTED, or
 * that a follow-up message queued again, may be in its old index for a moment still (GSIs lag the
 * table): the table item says which index it is in now, and only that entry lists it (the count
 * may include both for that moment).
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
import { agentListPks, contextListPk, GSI1, GSI2, GSI5, queuedPks, queuedSkPrefix } from './keys';
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
  const cursor = q.pageToken === undefined ? undefined : pageCursor(q.pageToken, q.agentId);
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

/** An index entry: the task item's key, its place in the merge order, and the index it is in. */
interface Found {
  key: { PK: string; SK: string };
  sort: string;
  index: ListIndex;
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
    // one key once: a task can have two entries for a moment (GSI5 and GSI1), and BatchGetItem
    // refuses a key twice
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
    // GSIs lag the table: an entry whose task is no longer in that index (it left SUBMITTED, or
    // a follow-up message queued it again) is listed from the index it is in now.
    if (!current(e.index, item, record)) return undefined;
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

/**
 * Whether the task item is in the index now: it has the index's sort key (and, for GSI5, is
 * queued and in no list index).
 */
function current(index: ListIndex, item: Record<string, unknown>, record: TaskRecord): boolean {
  if (item[`${index}SK`] === undefined) return false;
  // A queued item of this release has no GSI1SK; one that has both was queued again by an
  // earlier release's commit, which did not know GSI5: it is listed from GSI1.
  return index !== GSI5 || (record.status.state === TaskState.Submitted && item.GSI1SK === undefined);
}

/** Up to pageSize + 1 entries after the cursor (the extra one says whether there is a next page). */
async function fetchTasks(base: Base, floor?: string, cursor?: string): Promise<Found[]> {
  const range: Range = {};
  if (floor !== undefined) range.floor = floor;
  if (cursor !== undefined) range.cursor = cursor;
  const parts = partitions(base);
  const part = (pk: string): Part => partOf(parts, pk);
  const entries = await mergeShards(
    base.run,
    {
      pks: [...parts.keys()],
      input: (pk) => queryInput(base, pk, part(pk), range),
      sortKey: (item, pk) => {
        const { index, prefix } = part(pk);
        return String(item[`${index}SK`]).slice(prefix.length);
      },
      descending: true,
      keep: (entry) => entry.sort !== cursor,
      ...(base.q.status === undefined ? {} : { minLimit: Math.ceil(FILTERED_READ_AHEAD / parts.size) }),
    },
    base.q.pageSize + 1,
  );
  return entries.map(({ item, pk, sort }) => ({ key: itemKey(item), sort, index: part(pk).index }));
}

function countTasks(base: Base, floor?: string): Promise<number> {
  const parts = partitions(base);
  return countShards(base.run, [...parts.keys()], (pk) =>
    queryInput(base, pk, partOf(parts, pk), floor === undefined ? {} : { floor }),
  );
}

type ListIndex = typeof GSI1 | typeof GSI2 | typeof GSI5;

/**
 * A partition to read: its index, and the prefix its sort keys carry before the status sort key
 * (GSI5's name the agent, so one agent's queued tasks are a key range: keys.ts queuedSk).
 */
interface Part {
  index: ListIndex;
  prefix: string;
}

/** The partition of one of `parts`' keys (every key the reads use is one of them). */
function partOf(parts: ReadonlyMap<string, Part>, pk: string): Part {
  const part = parts.get(pk);
  if (part === undefined) throw new Error(`no list partition ${pk}`);
  return part;
}

/**
 * The partitions to read: every shard of the agent's GSI1 key or the context's GSI2 key, and the
 * tenant's GSI5 shards (the agent's range in each) unless the status filter rules queued tasks out.
 */
function partitions({ tenant, q }: Base): Map<string, Part> {
  const listed: Part = { index: q.contextId === undefined ? GSI1 : GSI2, prefix: '' };
  const pks =
    q.contextId === undefined ? agentListPks(tenant, q.agentId) : [contextListPk(tenant, q.contextId)];
  const parts = new Map(pks.map((pk) => [pk, listed]));
  if (q.status === undefined || q.status === TaskState.Submitted) {
    const queued: Part = { index: GSI5, prefix: queuedSkPrefix(q.agentId) };
    for (const pk of queuedPks(tenant)) parts.set(pk, queued);
  }
  return parts;
}

/** Above every status sort key after a prefix (they are ASCII: an ISO time and a task id). */
const RANGE_END = '\uffff';

function queryInput(
  { q, nowMs }: Base,
  pk: string,
  { index, prefix }: Part,
  { floor, cursor }: Range,
): QueryInput {
  const names: Record<string, string> = { '#pk': `${index}PK`, '#exp': 'expiresAt' };
  const values: Record<string, unknown> = { ':pk': pk, ':now': nowMs / 1000 };
  const filters = ['(attribute_not_exists(#exp) OR #exp > :now)'];
  if (index === GSI2) {
    // GSI2 serves context lookups across agents; ListTasks is per agent endpoint.
    names['#agent'] = 'agentId';
    values[':agent'] = q.agentId;
    filters.push('#agent = :agent');
  }
  if (index === GSI5 && q.contextId !== undefined) {
    names['#ctx'] = 'contextId';
    values[':ctx'] = q.contextId;
    filters.push('#ctx = :ctx');
  }
  // The sort key range: after the partition's prefix (GSI5's agent), from the floor up to the
  // cursor. BETWEEN is inclusive and a filter cannot use key attributes: fetchTasks drops the
  // cursor item.
  const low = floor === undefined && prefix === '' ? undefined : `${prefix}${floor ?? ''}`;
  const high = cursor === undefined && prefix === '' ? undefined : `${prefix}${cursor ?? RANGE_END}`;
  let key = '#pk = :pk';
  if (low !== undefined || high !== undefined) names['#sk'] = `${index}SK`;
  if (low !== undefined) values[':low'] = low;
  if (high !== undefined) values[':high'] = high;
  if (low !== undefined && high !== undefined) key += ' AND #sk BETWEEN :low AND :high';
  else if (low !== undefined) key += ' AND #sk >= :low';
  else if (high !== undefined) key += ' AND #sk < :high';
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

/** The cursor of a token: a sort key that fits DynamoDB's 1 KB key limit after GSI5's agent prefix. */
function pageCursor(token: string, agentId: string): string {
  const cursor = decodePageToken(token);
  const room = MAX_SORT_KEY_BYTES - Buffer.byteLength(queuedSkPrefix(agentId), 'utf8');
  if (Buffer.byteLength(cursor, 'utf8') > room) {
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
