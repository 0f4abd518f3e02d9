/**
 * How the memory store keeps what it holds apart from its callers without copying on every read:
 * it stores deep-frozen values and hands those out as they are. Nobody can change a frozen value
 * (an assignment throws in strict code), so a caller cannot alter stored state through what it
 * read, and stored state never changes under a caller: a write replaces the stored value.
 *
 * Taking a value in is a copy of its parts that are not deep-frozen yet; deep-frozen parts are
 * shared. A commit's record is mostly its predecessor's parts (history, artifacts) with a few new
 * ones, so only the new parts are copied. The caller's own objects are never frozen.
 */

/**
 * A deep-frozen equivalent of `value`: the value itself when it is deep-frozen already, else a
 * frozen copy whose deep-frozen parts are shared. Takes JSON-like data (plain objects, arrays,
 * primitives), what the store's records, events and configs are; anything else is cloned.
 *
 * `copies` spans several calls of one write (the record and its events): an object of the
 * caller's that both name (the message in the history and in the status event) becomes one
 * frozen copy, held once.
 */
export function immutableCopy<T>(value: T, copies: Map<object, unknown> = new Map()): T {
  return own(value, copies) as T;
}

function own(value: unknown, copies: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Object.isFrozen(value) && deepFrozen(value)) return value;
  const done = copies.get(value);
  if (done !== undefined) return done;
  let copy: unknown;
  if (Array.isArray(value)) {
    copy = Object.freeze(value.map((item) => own(item, copies)));
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      copy = Object.freeze(structuredClone(value));
    } else {
      const fields: Record<string, unknown> = {};
      for (const key of Object.keys(value))
        fields[key] = own((value as Record<string, unknown>)[key], copies);
      copy = Object.freeze(fields);
    }
  }
  copies.set(value, copy);
  return copy;
}

/** Every part of a frozen array or plain object is a primitive or frozen, all the way down. */
function deepFrozen(value: object): boolean {
  if (Array.isArray(value)) {
    for (const item of value) if (!ownedPart(item)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key of Object.keys(value)) if (!ownedPart((value as Record<string, unknown>)[key])) return false;
  return true;
}

const ownedPart = (v: unknown): boolean =>
  typeof v !== 'object' || v === null || (Object.isFrozen(v) && deepFrozen(v));
