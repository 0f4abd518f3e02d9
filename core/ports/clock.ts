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

export const randomIds: IdGenerator = {
  taskId: () => crypto.randomUUID(),
  contextId: () => crypto.randomUUID(),
  configId: () => crypto.randomUUID(),
};
