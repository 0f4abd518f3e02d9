/**
 * The memory store's item-size check (what DynamoDB's 400 KB item limit would refuse) without
 * serializing a whole record on every write. A record's JSON size is that of its fields with the
 * large ones (status, history, artifacts, metadata, …) left out, plus theirs; the size of one of
 * the store's deep-frozen parts (a message, an artifact, a status) cannot change, so it is counted
 * once and remembered. A commit then counts only what is new: the record's other messages and
 * artifacts are the frozen parts of its predecessor, and an event's payload is the record's.
 * The figure is itemBytes's (adapters/shared/item-size.ts), byte for byte.
 */
import { itemBytes } from '../shared/item-size';

/** Byte sizes of deep-frozen parts (only the store's own values: frozen there means deep-frozen). */
const partSizes = new WeakMap<object, number>();

const EMPTY: readonly unknown[] = Object.freeze([]);

/** JSON size of a record, a stored event or a push config, as itemBytes counts it. */
export function storedItemBytes(value: object): number {
  return isPlain(value) ? shellBytes(value as Record<string, unknown>, 1) : itemBytes(value);
}

/**
 * A plain object's size: its scalar fields serialized (the shell), plus its object fields counted
 * `depth` levels further down; below that a field is a part, counted whole once and remembered.
 */
function shellBytes(fields: Record<string, unknown>, depth: number): number {
  let shell: Record<string, unknown> | undefined;
  let parts = 0;
  for (const key of Object.keys(fields)) {
    const field = fields[key];
    if (typeof field !== 'object' || field === null) continue;
    shell ??= { ...fields };
    if (Array.isArray(field)) {
      shell[key] = EMPTY;
      parts += listBytes(field, depth) - 2;
    } else {
      shell[key] = 0;
      parts += objectBytes(field, depth) - 1;
    }
  }
  return itemBytes(shell ?? fields) + parts;
}

/** `[a,b]`: the brackets, the commas and each item (undefined and functions are `null`). */
function listBytes(list: readonly unknown[], depth: number): number {
  if (list.length === 0) return 2;
  let n = 1;
  for (const item of list) {
    n += 1;
    if (typeof item === 'object' && item !== null) n += objectBytes(item, depth);
    else
      n += item === undefined || typeof item === 'function' || typeof item === 'symbol' ? 4 : itemBytes(item);
  }
  return n;
}

function objectBytes(value: object, depth: number): number {
  if (depth > 0 && !Array.isArray(value) && isPlain(value))
    return shellBytes(value as Record<string, unknown>, depth - 1);
  const known = partSizes.get(value);
  if (known !== undefined) return known;
  const n = itemBytes(value);
  if (Object.isFrozen(value)) partSizes.set(value, n);
  return n;
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
