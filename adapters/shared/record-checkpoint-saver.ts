/**
 * A LangGraph checkpointer (BaseCheckpointSaver) over CheckpointRecords: LangGraph's semantics
 * (latest/by-id tuples with parent and pending writes, newest-first listing with before/limit/
 * metadata filter, first-write-wins regular writes) written once, for both stores. One instance
 * serves one tenant (the records are tenant-bound); thread_id is the task id.
 */
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  type Checkpoint,
  type CheckpointMetadata,
  type CheckpointTuple,
  copyCheckpoint,
} from '@langchain/langgraph';
import {
  assertCheckpointSize,
  type CheckpointRecord,
  type CheckpointRecords,
  type WriteRecord,
} from './checkpoint-records';

type PendingWrite = Parameters<BaseCheckpointSaver['putWrites']>[1][number];
type ChannelVersions = Parameters<BaseCheckpointSaver['put']>[3];
type ListOptions = NonNullable<Parameters<BaseCheckpointSaver['list']>[1]>;
type Serde = BaseCheckpointSaver['serde'];

/** LangGraph's WRITES_IDX_MAP (not re-exported by @langchain/langgraph): special writes replace. */
const SPECIAL_WRITE_IDX: Readonly<Record<string, number>> = {
  __error__: -1,
  __scheduled__: -2,
  __interrupt__: -3,
  __resume__: -4,
};

export class RecordCheckpointSaver extends BaseCheckpointSaver {
  constructor(
    private readonly records: CheckpointRecords,
    serde?: Serde,
  ) {
    super(serde);
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const { threadId, ns, checkpointId } = target(config);
    const record = await this.records.getCheckpoint(threadId, ns, checkpointId);
    return record === undefined ? undefined : this.toTuple(record);
  }

  async *list(config: RunnableConfig, options: ListOptions = {}): AsyncGenerator<CheckpointTuple> {
    const threadId = requireThread(config);
    const ns = config.configurable?.checkpoint_ns as string | undefined;
    const onlyId = config.configurable?.checkpoint_id as string | undefined;
    const before = options.before?.configurable?.checkpoint_id as string | undefined;
    let remaining = options.limit;
    const listOptions = before === undefined ? {} : { before };
    for await (const record of this.records.listCheckpoints(threadId, ns, listOptions)) {
      if (remaining !== undefined && remaining <= 0) return;
      if (onlyId && record.id !== onlyId) continue;
      const tuple = await this.toTuple(record);
      if (options.filter && !matches(tuple.metadata, options.filter)) continue;
      if (remaining !== undefined) remaining -= 1;
      yield tuple;
    }
  }

  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    _newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    const threadId = requireThread(config);
    const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? '';
    const parentId = config.configurable?.checkpoint_id as string | undefined;
    const [[cpType, cpBytes], [mdType, mdBytes]] = await Promise.all([
      this.serde.dumpsTyped(copyCheckpoint(checkpoint)),
      this.serde.dumpsTyped(metadata),
    ]);
    assertCheckpointSize('checkpoint', cpBytes.length + mdBytes.length);
    const record: CheckpointRecord = {
      threadId,
      ns,
      id: checkpoint.id,
      checkpoint: { type: cpType, bytes: cpBytes },
      metadata: { type: mdType, bytes: mdBytes },
    };
    if (parentId) record.parentId = parentId;
    await this.records.putCheckpoint(record);
    return { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: checkpoint.id } };
  }

  async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    const threadId = requireThread(config);
    const ns = (config.configurable?.checkpoint_ns as string | undefined) ?? '';
    const checkpointId = config.configurable?.checkpoint_id as string | undefined;
    if (!checkpointId) throw new Error('putWrites needs configurable.checkpoint_id');
    const records: WriteRecord[] = await Promise.all(
      writes.map(async ([channel, value], i) => {
        const [type, bytes] = await this.serde.dumpsTyped(value);
        return { taskId, idx: SPECIAL_WRITE_IDX[channel] ?? i, channel, value: { type, bytes } };
      }),
    );
    // A task's writes are stored together (atomically), so they are limited together.
    assertCheckpointSize(
      'write',
      records.reduce((n, r) => n + r.value.bytes.length, 0),
    );
    if (records.length > 0) await this.records.putWrites(threadId, ns, checkpointId, records);
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.records.deleteThread(threadId);
  }

  private async toTuple(record: CheckpointRecord): Promise<CheckpointTuple> {
    const [checkpoint, metadata, writes] = await Promise.all([
      this.serde.loadsTyped(record.checkpoint.type, record.checkpoint.bytes) as Promise<Checkpoint>,
      this.serde.loadsTyped(record.metadata.type, record.metadata.bytes) as Promise<CheckpointMetadata>,
      this.records.getWrites(record.threadId, record.ns, record.id),
    ]);
    const pendingWrites = await Promise.all(
      writes.map(
        async (w) =>
          [w.taskId, w.channel, await this.serde.loadsTyped(w.value.type, w.value.bytes)] as [
            string,
            string,
            unknown,
          ],
      ),
    );
    const configurable = { thread_id: record.threadId, checkpoint_ns: record.ns };
    const tuple: CheckpointTuple = {
      config: { configurable: { ...configurable, checkpoint_id: record.id } },
      checkpoint,
      metadata,
      pendingWrites,
    };
    if (record.parentId)
      tuple.parentConfig = { configurable: { ...configurable, checkpoint_id: record.parentId } };
    return tuple;
  }
}

function requireThread(config: RunnableConfig): string {
  const threadId = config.configurable?.thread_id;
  if (typeof threadId !== 'string' || threadId === '') {
    throw new Error('This checkpointer needs configurable.thread_id (the task id)');
  }
  return threadId;
}

function target(config: RunnableConfig): { threadId: string; ns: string; checkpointId: string | undefined } {
  const id = (config.configurable?.checkpoint_id ?? config.configurable?.thread_ts) as string | undefined;
  return {
    threadId: requireThread(config),
    ns: (config.configurable?.checkpoint_ns as string | undefined) ?? '',
    checkpointId: id ? id : undefined,
  };
}

function matches(metadata: CheckpointMetadata | undefined, filter: Record<string, unknown>): boolean {
  const md = (metadata ?? {}) as Record<string, unknown>;
  return Object.entries(filter).every(([key, value]) => md[key] === value);
}
