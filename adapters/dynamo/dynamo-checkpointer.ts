/**
 * LangGraph checkpointer on the task table (item layout: checkpoint-items.ts). One instance per
 * tenant: `DynamoCheckpointer.factory(opts)` gives the worker a (tenant) => saver function, and
 * thread_id is the task id, so every key is tenant-scoped by construction. Records above
 * MAX_CHECKPOINT_BYTES are refused with CheckpointTooLargeError before anything is written.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '../../core/ports/clock';
import {
  byIdDescending,
  type CheckpointRecord,
  type CheckpointRecords,
  type ListRecordsOptions,
  type WriteRecord,
} from '../shared/checkpoint-records';
import { RecordCheckpointSaver } from '../shared/record-checkpoint-saver';
import {
  CHECKPOINT_PREFIX,
  CHECKPOINTER_PREFIX,
  checkpointItems,
  checkpointSk,
  fromCheckpointHead,
  fromWriteHead,
  headData,
  join,
  nsPrefix,
  partCount,
  partsPrefix,
  writeItems,
  writesPrefix,
} from './checkpoint-items';
import { cancellationCodes, isConditionFailure, storeError } from './dynamo-errors';
import { taskPk } from './keys';
import { TableAccess, type TransactItem } from './table-access';
import { type Item, isExpired } from './task-items';

export interface DynamoCheckpointerOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  tenant: string;
  /** checkpoints and writes expire this long after they are written */
  ttlSeconds: number;
  clock?: Clock;
}

export class DynamoCheckpointer extends RecordCheckpointSaver {
  constructor(opts: DynamoCheckpointerOptions) {
    super(new DynamoCheckpointRecords(opts));
  }

  static factory(opts: Omit<DynamoCheckpointerOptions, 'tenant'>): (tenant: string) => DynamoCheckpointer {
    return (tenant) => new DynamoCheckpointer({ ...opts, tenant });
  }
}

const PAGE = 25;
const MAX_TRANSACTION_ITEMS = 100;

class DynamoCheckpointRecords implements CheckpointRecords {
  private readonly t: TableAccess;

  constructor(private readonly opts: DynamoCheckpointerOptions) {
    this.t = new TableAccess(opts.client, opts.tableName, opts.clock ?? systemClock);
  }

  private pk = (threadId: string) => taskPk(this.opts.tenant, threadId);
  private expiresAt = () => Math.floor(this.t.clock.now() / 1000) + this.opts.ttlSeconds;

  async putCheckpoint(r: CheckpointRecord): Promise<void> {
    await this.putAtomically([
      { items: checkpointItems(this.pk(r.threadId), r, this.expiresAt()), firstWins: false },
    ]);
  }

  async getCheckpoint(
    threadId: string,
    ns: string,
    id: string | undefined,
  ): Promise<CheckpointRecord | undefined> {
    const pk = this.pk(threadId);
    let head: Item | undefined;
    if (id !== undefined) head = await this.t.getItem({ PK: pk, SK: checkpointSk(ns, id) });
    else {
      const out = await this.t.query({
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': nsPrefix(ns) },
        ScanIndexForward: false,
        Limit: 1,
      });
      // Later checkpoints expire later: if the newest has expired, so have the rest.
      head = out.Items?.find((item) => !isExpired(item, this.t.clock.now()));
    }
    return head === undefined ? undefined : fromCheckpointHead(threadId, head, await this.blob(pk, head));
  }

  async *listCheckpoints(
    threadId: string,
    ns: string | undefined,
    options: ListRecordsOptions,
  ): AsyncIterable<CheckpointRecord> {
    const pk = this.pk(threadId);
    const prefix = ns === undefined ? CHECKPOINT_PREFIX : nsPrefix(ns);
    const upper =
      options.before === undefined || ns === undefined ? `${prefix}\uffff` : checkpointSk(ns, options.before);
    let start: Record<string, unknown> | undefined;
    let n = 0;
    do {
      const out = await this.t.query({
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':pk': pk, ':lo': prefix, ':hi': upper },
        ScanIndexForward: false,
        Limit: PAGE,
        ExclusiveStartKey: start,
      });
      for (const head of out.Items ?? []) {
        if (isExpired(head, this.t.clock.now())) continue;
        const record = fromCheckpointHead(threadId, head, await this.blob(pk, head));
        if (options.before !== undefined && byIdDescending(record, { id: options.before }) <= 0) continue;
        if (options.limit !== undefined && n >= options.limit) return;
        n += 1;
        yield record;
      }
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
  }

  async putWrites(threadId: string, ns: string, checkpointId: string, writes: WriteRecord[]): Promise<void> {
    const pk = this.pk(threadId);
    const exp = this.expiresAt();
    // A task's writes land together or not at all: with half of them stored, LangGraph would count
    // the task as done and lose the rest. Regular writes keep the first value; special ones replace.
    await this.putAtomically(
      writes.map((w) => ({ items: writeItems(pk, ns, checkpointId, w, exp), firstWins: w.idx >= 0 })),
    );
  }

  async getWrites(threadId: string, ns: string, checkpointId: string): Promise<WriteRecord[]> {
    const pk = this.pk(threadId);
    const heads = await this.t.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': writesPrefix(ns, checkpointId) },
    });
    const now = this.t.clock.now();
    return Promise.all(
      heads.filter((h) => !isExpired(h, now)).map(async (h) => fromWriteHead(h, await this.blob(pk, h))),
    );
  }

  async deleteThread(threadId: string): Promise<void> {
    const items = await this.t.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': this.pk(threadId), ':prefix': CHECKPOINTER_PREFIX },
      ProjectionExpression: 'PK, SK',
    });
    for (let i = 0; i < items.length; i += 25) {
      let requests = items
        .slice(i, i + 25)
        .map((item) => ({ DeleteRequest: { Key: { PK: item.PK, SK: item.SK } } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 5) throw storeError(new Error('BatchWriteItem left unprocessed deletes'));
        const out = await this.t.doc
          .send(new BatchWriteCommand({ RequestItems: { [this.t.table]: requests } }))
          .catch((err: unknown) => Promise.reject(storeError(err)));
        requests = (out.UnprocessedItems?.[this.t.table] ?? []) as typeof requests;
      }
    }
  }

  /** The whole blob of a head: its inline part, then its further parts in order. */
  private async blob(pk: string, head: Item): Promise<Uint8Array> {
    const count = partCount(head);
    if (count === 0) return headData(head);
    const parts = await this.t.queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': partsPrefix(String(head.SK)) },
    });
    if (parts.length < count) throw new Error(`checkpoint item ${String(head.SK)} is missing parts`);
    return join([headData(head), ...parts.slice(0, count).map(headData)]);
  }

  /**
   * Puts records (a head item and its parts each) in one transaction (one item: a PutItem). The
   * head of a `firstWins` record is not replaced if it exists: that record is dropped and the
   * rest written. More than a transaction's 100 items (many large writes at once) go record by
   * record, each still atomic.
   */
  private async putAtomically(records: { items: Item[]; firstWins: boolean }[]): Promise<void> {
    const ops = (rs: typeof records): TransactItem[] =>
      rs.flatMap((r) =>
        r.items.map((Item, i) => ({
          Put: {
            TableName: this.t.table,
            Item,
            ...(i === 0 && r.firstWins
              ? {
                  ConditionExpression: 'attribute_not_exists(SK) OR expiresAt <= :now',
                  ExpressionAttributeValues: { ':now': this.t.nowSeconds() },
                }
              : {}),
          },
        })),
      );
    if (ops(records).length > MAX_TRANSACTION_ITEMS) {
      for (const r of records) await this.putAtomically([r]);
      return;
    }
    let pending = records;
    while (pending.length > 0) {
      const items = ops(pending);
      try {
        if (items.length === 1 && items[0]?.Put) await this.t.doc.send(new PutCommand(items[0].Put));
        else await this.t.transact(items);
        return;
      } catch (err) {
        if (items.length === 1 && isConditionFailure(err)) return;
        const codes = cancellationCodes(err);
        if (!codes?.includes('ConditionalCheckFailed')) throw storeError(err);
        let at = 0;
        pending = pending.filter((r) => {
          const code = codes[at];
          at += r.items.length;
          return code !== 'ConditionalCheckFailed';
        });
      }
    }
  }
}
