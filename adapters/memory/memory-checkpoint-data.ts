/**
 * The records of MemoryCheckpointer (the in-memory "table" of LangGraph checkpoints), in a module
 * of its own so the local stack can hold and trim it without loading LangGraph.
 */
import type { CheckpointRecord, WriteRecord } from '../shared/checkpoint-records';

export interface Expiring<T> {
  value: T;
  /** epoch ms */
  expiresAt: number;
}

export interface Thread {
  checkpoints: Map<string, Expiring<CheckpointRecord>>;
  /** by `${ns}\0${checkpointId}`, then `${taskId}\0${idx}` */
  writes: Map<string, Map<string, Expiring<WriteRecord>>>;
}

/** The shared "table": one per process (local stack, tests), all tenants. */
export class MemoryCheckpointData {
  readonly threads = new Map<string, Thread>();

  /** Drops a thread's checkpoints and writes (the thread id of a task's run is the task id). */
  dropThread(tenant: string, threadId: string): void {
    this.threads.delete(threadKey(tenant, threadId));
  }
}

export const threadKey = (tenant: string, threadId: string): string => `${tenant}\u0000${threadId}`;
