/** Time and ids, injectable so tests control them. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const isoAt = (ms: number): string => new Date(ms).toISOString();

export interface IdGenerator {
  taskId(): string;
  contextId(): string;
  configId(): string;
}

/**
 * A random UUID as one flat string, for ids kept in long-lived structures. crypto.randomUUID()
 * builds its answer by concatenation, and V8 keeps such a string as a tree of its ~20 pieces
 * until something reads it whole: each held ~490 bytes instead of ~64 (measured 2026-12-07; the
 * in-process queue keeps 10,000 handles of deleted messages). toLowerCase (a UUID is lowercase
 * already) reads it whole. Ids that are serialized soon after (a task's) get flattened anyway.
 */
export const flatUuid = (): string => crypto.randomUUID().toLowerCase();

export const randomIds: IdGenerator = {
  taskId: () => crypto.randomUUID(),
  contextId: () => crypto.randomUUID(),
  configId: () => crypto.randomUUID(),
};
