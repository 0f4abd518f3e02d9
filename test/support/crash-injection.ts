/**
 * Crash injection for worker tests: a switch shared by a wrapped TaskStore and wrapped
 * checkpointers (one "process"). It lets `budget` writes through, then the process dies: that
 * write and every later call (reads too) throw WorkerCrash, so nothing after the crash point
 * reaches the store. Writes already sent still land (as they would from a dying process); a test
 * waits for them (`settled()`), then "redelivers" the message to a healthy worker.
 */
import type { RunnableConfig } from '@langchain/core/runnables';
import { BaseCheckpointSaver, type Checkpoint, type CheckpointMetadata } from '@langchain/langgraph';
import type { TaskStore } from '../../core/ports/task-store';
import type { CheckpointerFactory } from '../../workers/graph-runtime/graph-agent';

export class WorkerCrash extends Error {
  override readonly name = 'WorkerCrash';
}

export class CrashSwitch {
  readonly writes: string[] = [];
  dead = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly budget = Number.POSITIVE_INFINITY) {}

  write(op: string): void {
    if (!this.dead && this.writes.length >= this.budget) {
      this.dead = true;
      throw new WorkerCrash(`crashed before write ${this.writes.length + 1} (${op})`);
    }
    this.read();
    this.writes.push(op);
  }

  read(): void {
    if (this.dead) throw new WorkerCrash('the worker process is gone');
  }

  /** Runs a write that passed the switch, remembering it until it lands. */
  track<T>(write: Promise<T>): Promise<T> {
    this.inFlight.add(write);
    return write.finally(() => this.inFlight.delete(write));
  }

  /** Resolves once every write sent before the crash has landed (or failed). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}

const STORE_WRITES = new Set([
  'create',
  'commit',
  'acquireLease',
  'renewLease',
  'releaseLease',
  'requestCancel',
  'putPushConfig',
  'deletePushConfig',
  'deferReconcile',
]);

export function crashingStore(store: TaskStore, sw: CrashSwitch): TaskStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (!STORE_WRITES.has(prop)) {
          sw.read();
          return value.apply(target, args);
        }
        sw.write(`store.${prop}`);
        return sw.track(Promise.resolve(value.apply(target, args)));
      };
    },
  });
}

type PendingWrite = Parameters<BaseCheckpointSaver['putWrites']>[1][number];

class CrashingSaver extends BaseCheckpointSaver {
  constructor(
    private readonly inner: BaseCheckpointSaver,
    private readonly sw: CrashSwitch,
  ) {
    super(inner.serde);
  }
  async getTuple(config: RunnableConfig) {
    this.sw.read();
    return this.inner.getTuple(config);
  }
  list(config: RunnableConfig, options?: Parameters<BaseCheckpointSaver['list']>[1]) {
    this.sw.read();
    return this.inner.list(config, options);
  }
  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    versions: Record<string, number>,
  ) {
    this.sw.write(`checkpoint.put(step ${metadata.step})`);
    return this.sw.track(this.inner.put(config, checkpoint, metadata, versions));
  }
  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string) {
    this.sw.write(`checkpoint.putWrites(${writes.map((w) => w[0]).join(',')})`);
    return this.sw.track(this.inner.putWrites(config, writes, taskId));
  }
  async deleteThread(threadId: string) {
    this.sw.write('checkpoint.deleteThread');
    return this.sw.track(this.inner.deleteThread(threadId));
  }
}

export const crashingCheckpointers =
  (factory: CheckpointerFactory, sw: CrashSwitch): CheckpointerFactory =>
  async (tenant) =>
    new CrashingSaver(await factory(tenant), sw);
