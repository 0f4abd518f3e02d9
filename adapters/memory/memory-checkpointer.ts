/**
 * In-memory twin of DynamoCheckpointer: the same LangGraph semantics (RecordCheckpointSaver) on
 * records kept in a MemoryCheckpointData, which plays the table. Like DynamoDB it is tenant-bound
 * per instance, refuses records above MAX_CHECKPOINT_BYTES, and gives every record a TTL that
 * reads honour. Both pass test/contract/checkpointer.contract.ts.
 */
import { type Clock, systemClock } from '../../core/ports/clock';
import {
  byIdDescending,
  type CheckpointRecord,
  type CheckpointRecords,
  type ListRecordsOptions,
  type WriteRecord,
} from '../shared/checkpoint-records';
import { RecordCheckpointSaver } from '../shared/record-checkpoint-saver';
import { type Expiring, type MemoryCheckpointData, type Thread, threadKey } from './memory-checkpoint-data';

export { MemoryCheckpointData } from './memory-checkpoint-data';

export interface MemoryCheckpointerOptions {
  data: MemoryCheckpointData;
  tenant: string;
  ttlSeconds: number;
  clock?: Clock;
}

export class MemoryCheckpointer extends RecordCheckpointSaver {
  constructor(opts: MemoryCheckpointerOptions) {
    super(new MemoryCheckpointRecords(opts));
  }
}

const copy = <T>(value: T): T => structuredClone(value);

class MemoryCheckpointRecords implements CheckpointRecords {
  private readonly clock: Clock;

  constructor(private readonly opts: MemoryCheckpointerOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  private key = (threadId: string) => threadKey(this.opts.tenant, threadId);
  private expiry = () => this.clock.now() + this.opts.ttlSeconds * 1000;
  private live = <T>(e: Expiring<T> | undefined): e is Expiring<T> =>
    e !== undefined && e.expiresAt > this.clock.now();

  private thread(threadId: string, create: true): Thread;
  private thread(threadId: string, create: false): Thread | undefined;
  private thread(threadId: string, create: boolean): Thread | undefined {
    let t = this.opts.data.threads.get(this.key(threadId));
    if (!t && create) {
      t = { checkpoints: new Map(), writes: new Map() };
      this.opts.data.threads.set(this.key(threadId), t);
    }
    return t;
  }

  async putCheckpoint(record: CheckpointRecord): Promise<void> {
    const t = this.thread(record.threadId, true);
    t.checkpoints.set(`${record.ns}\u0000${record.id}`, { value: copy(record), expiresAt: this.expiry() });
  }

  async getCheckpoint(
    threadId: string,
    ns: string,
    id: string | undefined,
  ): Promise<CheckpointRecord | undefined> {
    const t = this.thread(threadId, false);
    if (!t) return undefined;
    if (id !== undefined) {
      const e = t.checkpoints.get(`${ns}\u0000${id}`);
      return this.live(e) ? copy(e.value) : undefined;
    }
    return this.sorted(t, ns)[0];
  }

  async *listCheckpoints(
    threadId: string,
    ns: string | undefined,
    options: ListRecordsOptions,
  ): AsyncIterable<CheckpointRecord> {
    const t = this.thread(threadId, false);
    if (!t) return;
    let n = 0;
    for (const record of this.sorted(t, ns)) {
      if (options.before !== undefined && record.id >= options.before) continue;
      if (options.limit !== undefined && n >= options.limit) return;
      n += 1;
      yield record;
    }
  }

  async putWrites(threadId: string, ns: string, checkpointId: string, writes: WriteRecord[]): Promise<void> {
    const t = this.thread(threadId, true);
    const outer = `${ns}\u0000${checkpointId}`;
    let map = t.writes.get(outer);
    if (!map) {
      map = new Map();
      t.writes.set(outer, map);
    }
    for (const w of writes) {
      const inner = `${w.taskId}\u0000${w.idx}`;
      if (w.idx >= 0 && this.live(map.get(inner))) continue;
      map.set(inner, { value: copy(w), expiresAt: this.expiry() });
    }
  }

  async getWrites(threadId: string, ns: string, checkpointId: string): Promise<WriteRecord[]> {
    const map = this.thread(threadId, false)?.writes.get(`${ns}\u0000${checkpointId}`);
    if (!map) return [];
    return [...map.values()]
      .filter((e) => this.live(e))
      .map((e) => copy(e.value))
      .sort((a, b) => (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : a.idx - b.idx));
  }

  async deleteThread(threadId: string): Promise<void> {
    this.opts.data.threads.delete(this.key(threadId));
  }

  /** Newest first; across namespaces in descending key order, as DynamoDB's backward query. */
  private sorted(t: Thread, ns: string | undefined): CheckpointRecord[] {
    return [...t.checkpoints.values()]
      .filter((e) => this.live(e) && (ns === undefined || e.value.ns === ns))
      .map((e) => copy(e.value))
      .sort((a, b) => (a.ns < b.ns ? 1 : a.ns > b.ns ? -1 : byIdDescending(a, b)));
  }
}
