/**
 * Scatter-gather over a write-sharded index key (keys.ts, SHARDS): one Query per partition, in
 * parallel, merged by the index sort key. Sort keys are unique across partitions (they end with
 * the task id), so the merged order is total and one sort key resumes every partition: a reader's
 * cursor is the last sort key it consumed, whatever partition that came from.
 *
 * mergeShards reads each partition lazily. A partition's LastEvaluatedKey is its frontier: what it
 * has not returned yet sorts after it. The first `take` merged items are final once no open
 * partition's frontier sorts before the take-th item; until then only the partitions that could
 * still place an item among the first `take` are read again (each time with twice the Limit, up to
 * MAX_LIMIT, so a filter that drops most items does not cost a round trip per few items). With the
 * task ids hashed evenly, the first round nearly always settles it: a page reads about
 * take/shards + a margin per partition.
 */
import type { QueryCommandInput, QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Item } from './task-items';

export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey' | 'Select'>;
export type RunQuery = (input: Omit<QueryCommandInput, 'TableName'>) => Promise<QueryCommandOutput>;

export interface ShardedScan {
  /** the partition keys to read, one Query each */
  pks: readonly string[];
  /** the Query of one partition (its ScanIndexForward must match `descending`) */
  input: (pk: string) => QueryInput;
  /**
   * The merge order of an item read from partition `pk`, or of that partition's LastEvaluatedKey
   * (which holds the same index keys): usually its index sort key attribute.
   */
  sortKey: (item: Record<string, unknown>, pk: string) => string;
  descending: boolean;
  /** drops an item after it is read (e.g. the cursor item an inclusive BETWEEN returns) */
  keep?: (entry: ShardItem) => boolean;
  /** the Limit of a partition's first Query at least (a filter drops items the Limit counted) */
  minLimit?: number;
}

const MAX_LIMIT = 1000;
/** extra items per partition in the first round: hashing spreads a page unevenly over the shards */
const MARGIN = 2;

interface Partition {
  pk: string;
  start?: Record<string, unknown> | undefined;
  /** the sort key of the last item evaluated (LastEvaluatedKey), undefined before the first read */
  frontier?: string;
  done: boolean;
  limit: number;
}

/** An item read, with the partition it came from and its place in the merge order. */
export interface ShardItem {
  item: Item;
  pk: string;
  sort: string;
}

/** The first `take` items of all partitions in index order. */
export async function mergeShards(run: RunQuery, scan: ShardedScan, take: number): Promise<ShardItem[]> {
  if (take < 1) return [];
  const n = scan.pks.length;
  const first = Math.max(scan.minLimit ?? 0, n === 1 ? take : Math.ceil((take * 1.5) / n) + MARGIN);
  const parts: Partition[] = scan.pks.map((pk) => ({ pk, done: false, limit: Math.min(first, MAX_LIMIT) }));
  const before = (a: string, b: string): boolean => (scan.descending ? a > b : a < b);
  const items: ShardItem[] = [];
  let pending = parts;
  while (pending.length > 0) {
    await Promise.all(pending.map((p) => readMore(run, scan, p, items)));
    items.sort((a, b) => (a.sort === b.sort ? 0 : before(a.sort, b.sort) ? -1 : 1));
    const kth = items.length >= take ? items[take - 1]?.sort : undefined;
    // a partition can still place an item among the first `take` only if its frontier sorts before the take-th
    pending = parts.filter((p) => !p.done && (kth === undefined || before(p.frontier ?? '', kth)));
    for (const p of pending) p.limit = Math.min(MAX_LIMIT, p.limit * 2);
  }
  return items.slice(0, take);
}

async function readMore(run: RunQuery, scan: ShardedScan, p: Partition, into: ShardItem[]): Promise<void> {
  const out = await run({ ...scan.input(p.pk), Limit: p.limit, ExclusiveStartKey: p.start });
  for (const item of out.Items ?? []) {
    const entry = { item, pk: p.pk, sort: scan.sortKey(item, p.pk) };
    if (scan.keep === undefined || scan.keep(entry)) into.push(entry);
  }
  p.start = out.LastEvaluatedKey;
  p.done = p.start === undefined;
  if (p.start !== undefined) p.frontier = scan.sortKey(p.start, p.pk);
}

/**
 * Items over all partitions (Select COUNT), at most `limit`. The partitions are counted in
 * parallel; with a limit each round asks the open partitions for an even share of what is still
 * missing, so a count reads about `limit` items plus one Query per partition, not `limit` per
 * partition. (With a FilterExpression Limit bounds the items evaluated, not counted: pass no limit.)
 */
export async function countShards(
  run: RunQuery,
  pks: readonly string[],
  input: (pk: string) => QueryInput,
  limit = Number.POSITIVE_INFINITY,
): Promise<number> {
  const open = pks.map((pk) => ({ pk, start: undefined as Record<string, unknown> | undefined }));
  let count = 0;
  let pending = open;
  while (pending.length > 0 && count < limit) {
    const share = Number.isFinite(limit) ? Math.ceil((limit - count) / pending.length) : undefined;
    const next: typeof open = [];
    await Promise.all(
      pending.map(async (p) => {
        const out = await run({
          ...input(p.pk),
          Select: 'COUNT',
          ...(share === undefined ? {} : { Limit: share }),
          ...(p.start === undefined ? {} : { ExclusiveStartKey: p.start }),
        });
        count += out.Count ?? 0;
        p.start = out.LastEvaluatedKey;
        if (p.start !== undefined) next.push(p);
      }),
    );
    pending = next;
  }
  return Math.min(count, limit);
}
