/** The few table primitives the store uses, with transient failures mapped to RetryableError. */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../core/ports/clock';
import { isConditionFailure, storeError } from './dynamo-errors';
import type { Key } from './keys';
import { type Item, isExpired } from './task-items';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
export type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/** BatchWriteItem takes at most this many requests. */
const BATCH_WRITE_MAX = 25;
/** Rounds of a batch's unprocessed requests before it fails (each round waits longer). */
const BATCH_WRITE_ROUNDS = 6;

/** Condition fragment: the item has no TTL or it has not passed (needs #exp and :now). */
export const LIVE = '(attribute_not_exists(#exp) OR #exp > :now)';

export class TableAccess {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly table: string,
    readonly clock: Clock,
  ) {}

  /** :now for LIVE, in epoch seconds like the TTL attribute. */
  nowSeconds(): number {
    return this.clock.now() / 1000;
  }

  /** Strongly consistent; an item past its TTL counts as absent. */
  async getItem(key: Key): Promise<Item | undefined> {
    try {
      const out = await this.doc.send(
        new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
      );
      return out.Item === undefined || isExpired(out.Item, this.clock.now()) ? undefined : out.Item;
    } catch (err) {
      throw storeError(err);
    }
  }

  async query(input: Omit<QueryCommandInput, 'TableName'>): Promise<QueryCommandOutput> {
    try {
      return await this.doc.send(new QueryCommand({ TableName: this.table, ConsistentRead: true, ...input }));
    } catch (err) {
      throw storeError(err);
    }
  }

  /** Every page of a (small) query. */
  async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.query({ ...input, ExclusiveStartKey: start });
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  /** A conditional update: the new item, or undefined when the condition was false. */
  async update(input: Omit<UpdateCommandInput, 'TableName'>): Promise<Item | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({ TableName: this.table, ReturnValues: 'ALL_NEW', ...input }),
      );
      return out.Attributes ?? {};
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw storeError(err);
    }
  }

  /** A put that only creates: false (nothing written) when an item with its key exists. */
  async putIfAbsent(item: Item): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw storeError(err);
    }
  }

  async deleteItem(key: Key): Promise<void> {
    try {
      await this.doc.send(new DeleteCommand({ TableName: this.table, Key: key }));
    } catch (err) {
      throw storeError(err);
    }
  }

  /**
   * Unconditional puts and deletes, 25 to a BatchWriteItem, each billed as a single write. The
   * requests DynamoDB left unprocessed (throttled) are sent again, 10, 20, 40... ms later; a
   * batch still short after BATCH_WRITE_ROUNDS fails with a RetryableError.
   */
  async batchWrite(requests: readonly WriteRequest[]): Promise<void> {
    for (let i = 0; i < requests.length; i += BATCH_WRITE_MAX) {
      let pending = requests.slice(i, i + BATCH_WRITE_MAX);
      for (let round = 0; pending.length > 0; round++) {
        if (round >= BATCH_WRITE_ROUNDS)
          throw storeError(new Error('BatchWriteItem left requests unprocessed'));
        if (round > 0) await sleep(10 * 2 ** (round - 1));
        const out = await this.doc
          .send(new BatchWriteCommand({ RequestItems: { [this.table]: pending } }))
          .catch((err: unknown) => Promise.reject(storeError(err)));
        pending = out.UnprocessedItems?.[this.table] ?? [];
      }
    }
  }

  /**
   * TransactWriteItems. Failures are thrown unmapped: callers read the cancellation reasons.
   * The token makes the SDK's own retries of this call idempotent (server side, 10 minutes).
   */
  async transact(items: TransactItem[]): Promise<void> {
    await this.doc.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: randomUUID() }));
  }

  putNew(item: Item): TransactItem {
    return { Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } };
  }
}
