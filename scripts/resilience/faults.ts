/**
 * Fault injection for the resilience suite:
 * - throttlingStore: a store adapter that answers a call with RetryableError (DynamoDB throttling)
 *   at random, before the call reaches the store;
 * - crashingStore / dyingQueue: one worker "process" that dies at a random store call (before or
 *   after the call lands) or before it acknowledges a message it finished. A dead process does
 *   nothing more: every later call of its code, and the answer of a call already in flight, hangs
 *   forever, so it neither writes, nor acks, nor renews its lease: its message comes back after the
 *   visibility timeout and its lease runs out, as when a Lambda instance dies.
 */
import { RetryableError } from '../../core/errors';
import type { TaskStore } from '../../core/ports/task-store';
import type { ReceivedMessage, ReceiveOptions, SendOptions, WorkQueue } from '../../core/ports/work-queue';

/** mulberry32: a small seeded PRNG, so a run's fault decisions can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A promise that never settles: what a dead process's pending work turns into. */
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

type AsyncMethod = (...args: unknown[]) => Promise<unknown>;

function wrapMethods<T extends object>(
  target: T,
  wrap: (name: string, call: () => Promise<unknown>) => Promise<unknown>,
): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver);
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      return (...args: unknown[]) => wrap(prop, () => (value as AsyncMethod).apply(t, args));
    },
  });
}

export interface ThrottleCounts {
  calls: number;
  throttled: number;
}

export function throttlingStore(
  store: TaskStore,
  probability: number,
  random: () => number,
  counts: ThrottleCounts,
): TaskStore {
  return wrapMethods(store, (name, call) => {
    counts.calls += 1;
    if (random() < probability) {
      counts.throttled += 1;
      return Promise.reject(new RetryableError(`DynamoDB: simulated throttling of ${name}`));
    }
    return call();
  });
}

/** One worker process's life: it dies once, and says where. */
export class ProcessLife {
  dead = false;
  diedAt: string | undefined;
  constructor(private readonly onDeath: (where: string) => void) {}
  die(where: string): void {
    if (this.dead) return;
    this.dead = true;
    this.diedAt = where;
    this.onDeath(where);
  }
}

/** Whether a store call kills the process: before it reaches the store, after it lands, or not. */
export type CrashDecision = (method: string, args: readonly unknown[]) => 'before' | 'after' | undefined;

/** Kills the process at `probability` per call, before or after the call lands (even odds). */
export const randomCrashes =
  (probability: number, random: () => number): CrashDecision =>
  () =>
    random() < probability ? (random() < 0.5 ? 'before' : 'after') : undefined;

export function crashingStore(store: TaskStore, life: ProcessLife, decide: CrashDecision): TaskStore {
  return new Proxy(store, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver);
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (life.dead) return never();
        const call = () => (value as AsyncMethod).apply(t, args);
        const crash = decide(prop, args);
        if (crash === 'before') {
          life.die(`${prop}: before`);
          return never();
        }
        if (crash === 'after') {
          await call().catch(() => undefined);
          life.die(`${prop}: after`);
          return never();
        }
        const result = await call();
        return life.dead ? never() : result;
      };
    },
  });
}

/** The worker's view of the queue: dies before a delete with `ackProbability`; dead, it hangs. */
export function dyingQueue(
  queue: WorkQueue,
  life: ProcessLife,
  ackProbability: number,
  random: () => number,
): WorkQueue {
  const alive = async <T>(call: () => Promise<T>): Promise<T> => {
    if (life.dead) return never();
    const result = await call();
    return life.dead ? never() : result;
  };
  return {
    send: (body: string, options?: SendOptions) => alive(() => queue.send(body, options)),
    receive: (options: ReceiveOptions): Promise<ReceivedMessage[]> => alive(() => queue.receive(options)),
    changeVisibility: (handle: string, seconds: number) =>
      alive(() => queue.changeVisibility(handle, seconds)),
    delete: (handle: string) => {
      if (!life.dead && random() < ackProbability) life.die('ack: before delete');
      return alive(() => queue.delete(handle));
    },
  };
}
