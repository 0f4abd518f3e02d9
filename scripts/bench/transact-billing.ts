/**
 * What AWS bills for a TransactWriteItems, computed from the items themselves, because DynamoDB
 * Local's ConsumedCapacity for a transaction is wrong: it reports twice the sum of the DISTINCT
 * per-item unit counts (a transaction of five 100-byte puts reports 2 WRU, of one 1.5 KB and one
 * 100-byte put 6 WRU, of two 1.5 KB puts 4 WRU; the same per index), so adding items of a size
 * already present costs nothing and removing one saves nothing (test/integration/
 * store-cost-metering.test.ts pins it).
 *
 * AWS bills each item of a transaction 2 WRU per started KB of the larger of its before and after
 * images; the index updates a write causes are counted as standard writes (1 WRU per started KB of
 * the index item; a moved key is a delete plus a put), as the bench assumed before. The meter reads
 * each item's before and after image with a strongly consistent GetItem of its own (not counted).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { INDEX_ATTRIBUTES } from '../../adapters/dynamo/table-schema';

export type Image = Record<string, AttributeValue> | undefined;

export interface TransactCost {
  table: number;
  index: number;
}

const KB = 1024;
const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** DynamoDB's size of one attribute value (the rules of the developer guide's item-size page). */
export function valueBytes(v: AttributeValue): number {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return numberBytes(v.N);
  if (v.B !== undefined) return v.B.byteLength;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS !== undefined) return v.SS.reduce((n, s) => n + utf8(s), 0);
  if (v.NS !== undefined) return v.NS.reduce((n, s) => n + numberBytes(s), 0);
  if (v.BS !== undefined) return v.BS.reduce((n, b) => n + b.byteLength, 0);
  if (v.M !== undefined) return 3 + itemBytes(v.M) + Object.keys(v.M).length;
  if (v.L !== undefined) return 3 + v.L.reduce((n, e) => n + 1 + valueBytes(e), 0);
  return 0;
}

/** 1 byte per two significant digits, plus 1. */
function numberBytes(n: string): number {
  const digits = n
    .replace(/^-/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '');
  return Math.ceil(Math.max(1, digits.replace(/0+$/, '').length) / 2) + 1;
}

export function itemBytes(item: Record<string, AttributeValue>): number {
  let n = 0;
  for (const [name, value] of Object.entries(item)) n += utf8(name) + valueBytes(value);
  return n;
}

const units = (bytes: number) => Math.max(1, Math.ceil(bytes / KB));

/** The index item of `image` in index `name`, or undefined when the item is not in it (sparse). */
function indexItem(
  name: keyof typeof INDEX_ATTRIBUTES,
  image: Image,
): Record<string, AttributeValue> | undefined {
  const pk = image?.[`${name}PK`];
  const sk = image?.[`${name}SK`];
  if (image === undefined || pk === undefined || sk === undefined) return undefined;
  const out: Record<string, AttributeValue> = { [`${name}PK`]: pk, [`${name}SK`]: sk };
  for (const a of ['PK', 'SK', ...INDEX_ATTRIBUTES[name]]) {
    const v = image[a];
    if (v !== undefined) out[a] = v;
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The index write units one item's change costs in one index. */
function indexUnits(name: keyof typeof INDEX_ATTRIBUTES, before: Image, after: Image): number {
  const b = indexItem(name, before);
  const a = indexItem(name, after);
  if (b === undefined && a === undefined) return 0;
  if (b === undefined) return units(itemBytes(a ?? {}));
  if (a === undefined) return units(itemBytes(b));
  const keysMoved = !same(b[`${name}PK`], a[`${name}PK`]) || !same(b[`${name}SK`], a[`${name}SK`]);
  if (keysMoved) return units(itemBytes(b)) + units(itemBytes(a));
  return same(b, a) ? 0 : units(Math.max(itemBytes(a), itemBytes(b)));
}

/** The cost of one transaction item: its table write (billed twice) and the index writes it causes. */
export function transactItemCost(before: Image, after: Image, conditionCheckOnly = false): TransactCost {
  const size = Math.max(before ? itemBytes(before) : 0, after ? itemBytes(after) : 0);
  const table = 2 * units(size);
  if (conditionCheckOnly) return { table, index: 0 };
  let index = 0;
  for (const name of Object.keys(INDEX_ATTRIBUTES) as (keyof typeof INDEX_ATTRIBUTES)[])
    index += indexUnits(name, before, after);
  return { table, index };
}
