/** What the memory store holds per task: the frozen record, its events, its push configs. */
import type { StoredPushConfig } from '../../core/ports/task-store';
import type { StoredEvent, TaskRecord } from '../../core/task-record';
import type { ReconcileSlot } from '../shared/reconcile-due';

export interface Stamped<T> {
  value: T;
  /** epoch seconds, like TaskRecord.expiresAt */
  expiresAt?: number;
}

export interface Entry {
  /** the key of `tasks` (tenant and id), shared by the eviction order instead of built again */
  key: string;
  /** deep-frozen (immutableCopy): handed out as it is, replaced on every change */
  task: TaskRecord;
  /** each event deep-frozen, like the task */
  events: Stamped<StoredEvent>[];
  configs: Map<string, Stamped<StoredPushConfig>>;
  /** the reconciler index, as DynamoDB's sparse GSI3: indexed while SUBMITTED/WORKING */
  reconcile: ReconcileSlot;
  /** the idempotency records (keys of `messages`) that name this task: evicted with it */
  messageKeys: string[];
}

export const stamp = <T>(value: T, expiresAt: number | undefined): Stamped<T> =>
  expiresAt === undefined ? { value } : { value, expiresAt };

/** Push configs are copied in and out (records and events are frozen instead). */
export const clone = <T>(v: T): T => structuredClone(v);

/** An item whose own TTL (epoch seconds) has passed at `nowMs`. */
export const expiredAt = (expiresAt: number | undefined, nowMs: number): boolean =>
  expiresAt !== undefined && expiresAt * 1000 <= nowMs;
