/**
 * What a checkpointer stores, independent of where: serialized checkpoints and pending writes of
 * one tenant's threads (thread = task). DynamoCheckpointRecords and MemoryCheckpointRecords
 * implement it; RecordCheckpointSaver puts LangGraph's semantics on top, so both behave the same
 * (test/contract/checkpointer.contract.ts).
 */

/** serde.dumpsTyped output */
export interface TypedBytes {
  type: string;
  bytes: Uint8Array;
}

export interface CheckpointRecord {
  threadId: string;
  ns: string;
  id: string;
  parentId?: string;
  checkpoint: TypedBytes;
  metadata: TypedBytes;
}

export interface WriteRecord {
  taskId: string;
  /** LangGraph's write index: >= 0 for regular writes, negative for special ones (WRITES_IDX_MAP) */
  idx: number;
  channel: string;
  value: TypedBytes;
}

export interface ListRecordsOptions {
  /** checkpoint ids strictly below this one */
  before?: string;
  limit?: number;
}

export interface CheckpointRecords {
  putCheckpoint(record: CheckpointRecord): Promise<void>;
  /** the newest checkpoint of the namespace when id is undefined */
  getCheckpoint(threadId: string, ns: string, id: string | undefined): Promise<CheckpointRecord | undefined>;
  /** newest first; every namespace when ns is undefined */
  listCheckpoints(
    threadId: string,
    ns: string | undefined,
    options: ListRecordsOptions,
  ): AsyncIterable<CheckpointRecord>;
  /** Regular writes (idx >= 0) keep the first value stored; special writes replace. */
  putWrites(threadId: string, ns: string, checkpointId: string, writes: WriteRecord[]): Promise<void>;
  /** in (taskId, idx) order */
  getWrites(threadId: string, ns: string, checkpointId: string): Promise<WriteRecord[]>;
  deleteThread(threadId: string): Promise<void>;
}

/**
 * The largest serialized checkpoint or write either store accepts. DynamoDB splits a record over
 * items of CHECKPOINT_PART_BYTES and writes them in one transaction (4 MB at most): 3 MB leaves
 * room for keys and attributes.
 */
export const MAX_CHECKPOINT_BYTES = 3 * 1024 * 1024;
export const CHECKPOINT_PART_BYTES = 350 * 1024;

/** A checkpoint or write larger than MAX_CHECKPOINT_BYTES: the run cannot be made durable. */
export class CheckpointTooLargeError extends Error {
  override readonly name = 'CheckpointTooLargeError';
  static readonly code = 'ERR_CHECKPOINT_TOO_LARGE';
  readonly code = CheckpointTooLargeError.code;
  constructor(
    readonly what: 'checkpoint' | 'write',
    readonly bytes: number,
    readonly limit: number = MAX_CHECKPOINT_BYTES,
  ) {
    super(`The agent's ${what} is ${bytes} bytes, above the ${limit} byte limit of the checkpoint store`);
  }
}

export function assertCheckpointSize(what: 'checkpoint' | 'write', bytes: number): void {
  if (bytes > MAX_CHECKPOINT_BYTES) throw new CheckpointTooLargeError(what, bytes);
}

export const recordBytes = (r: CheckpointRecord): number =>
  r.checkpoint.bytes.length + r.metadata.bytes.length;

/** LangGraph's checkpoint ids (uuid6) sort by time as strings; this compares them that way. */
export const byIdDescending = (a: { id: string }, b: { id: string }): number =>
  a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
