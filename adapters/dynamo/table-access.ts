/** The few table primitives the store uses, with transient failures mapped to RetryableError. */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
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
import { type Logger, silentLogger } from '../../core/ports/logger';
import { isConditionFailure, storeError } from './dynamo-errors';
import type { Key } from './keys';
import { type Item, isExpired, itemKey } from './task-items';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Condition fragment: the item has no TTL or it has not passed (needs #exp and :now). */
export const LIVE = '(attribute_not_exists(#exp) OR #exp > :now)';

export class TableAccess {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly table: string,
    readonly clock: Clock,
    /** for what a write or read noticed and got past (a failed put left pending, a gap in a log) */
    readonly logger: Logger = silentLogger,
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

  /**
   * A put that only creates. False when another item holds its key; true when this put stored
   * it, or an earlier attempt of it did (the SDK resends a put whose answer was lost, and the
   * resend then finds the item it wrote: the same body).
   */
  async putIfAbsent(item: Item): Promise<boolean> {
    if (await this.putNewItem(item)) return true;
    const found = await this.getItem(itemKey(item));
    return found !== undefined && isDeepStrictEqual(found.body, item.body);
  }

  /** A put that only creates: false, and nothing written, when an item holds its key. */
  async putNewItem(item: Item): Promise<boolean> {
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
