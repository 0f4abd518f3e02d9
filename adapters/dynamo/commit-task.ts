/**
 * A commit on DynamoDB: the task's snapshot and its new events (README decision 83).
 *
 * A commit is one conditional UpdateItem of the snapshot (the version it read, a live task) that
 * also stores the commit's events as `pending`, then one conditional PutItem per event into the
 * log. The snapshot update is the commit: once it succeeds, no other writer can take those seqs,
 * so the event puts cannot clash with another commit, and every event item in the log is
 * committed. A transaction would bill the snapshot and each event twice (an echo run: 8 WRU
 * against 4).
 *
 * A crash between the update and the puts leaves the log short of the snapshot's version. Readers
 * complete it from the snapshot's pending events (task-tail-read.ts), and the next commit writes
 * the missing ones before its own update replaces them (writePending below), so no event is lost
 * and the log stays gapless. Knowing that a task's log is complete costs a read; the store keeps,
 * per process, the version up to which it has seen each recent task's log complete (CompleteLogs),
 * so a worker that claimed a task (the claim returns the snapshot) commits without that read.
 *
 * Two commits still use a transaction: one that records an idempotency key with the message it
 * appends (the record and the events must land together), and one whose events are larger than
 * MAX_PENDING_BYTES.
 */
import { VersionConflictError } from '../../core/errors';
import type { CommitInput } from '../../core/ports/task-store';
import type { StoredEvent, TaskRecord } from '../../core/task-record';
import { commitUpdate } from './commit-update';
import { cancellationCodes, storeError } from './dynamo-errors';
import { messageKey, taskKey, taskPk } from './keys';
import type { TableAccess } from './table-access';
import { readTaskItem, toEventItem } from './task-items';
import { queryEvents, readEvents } from './task-tail-read';

/**
 * The largest commit (its events' JSON) that the snapshot holds as pending. The snapshot keeps
 * them until the next commit, and every read of it pays for them: a large artifact goes through
 * a transaction instead (which also keeps the record and its events within one item's 400 KB).
 */
export const MAX_PENDING_BYTES = 4 * 1024;

/** Per store instance: the seq up to which this process has seen a task's log complete. */
export class CompleteLogs {
  private readonly through = new Map<string, number>();

  constructor(private readonly max = 10_000) {}

  /** 0 when unknown. */
  completeThrough(pk: string): number {
    return this.through.get(pk) ?? 0;
  }

  know(pk: string, seq: number): void {
    if (seq <= this.completeThrough(pk)) return;
    this.through.delete(pk);
    this.through.set(pk, seq);
    if (this.through.size > this.max) {
      const oldest = this.through.keys().next();
      if (oldest.done !== true) this.through.delete(oldest.value);
    }
  }

  /** A snapshot this process read: without pending events, the log holds all up to its version. */
  saw(pk: string, record: TaskRecord, pending: readonly StoredEvent[]): void {
    if (pending.length === 0) this.know(pk, record.version);
  }
}

/** A commit whose record carries its tenant (the store sets it from the caller's context). */
type TenantCommit = CommitInput & { next: TaskRecord & { tenant: string } };

/** The put of one event into the log, only where its seq is free (false when it is taken). */
const putEvent = (t: TableAccess, tenant: string, taskId: string, e: StoredEvent, expiresAt?: number) =>
  t.putNewItem(toEventItem(tenant, taskId, e, expiresAt));

/**
 * `next` carries the tenant; the caller checked the sequence and the sizes of each item, and
 * gives the events' summed JSON size (`eventBytes`, against MAX_PENDING_BYTES). The
 * task's push configs are stamped with an ended task's expiry by the dispatcher that releases
 * them after this commit (decision 76), not here.
 */
export async function commitTask(
  t: TableAccess,
  logs: CompleteLogs,
  input: TenantCommit,
  eventBytes: number,
): Promise<void> {
  const { next, taskId } = input;
  const pk = taskPk(next.tenant, taskId);
  await writePending(t, logs, next.tenant, taskId, input.expectedVersion);
  const inline = input.idempotencyKey === undefined && eventBytes <= MAX_PENDING_BYTES;
  if (!inline) {
    await transactCommit(t, input);
    logs.know(pk, next.version);
    return;
  }
  const updated = await t.update({
    Key: taskKey(next.tenant, taskId),
    ...commitUpdate(taskId, next, input.expectedVersion, t.nowSeconds(), {
      unlessCancelRequested: input.unlessCancelRequested,
      pending: input.events,
    }),
    ReturnValues: 'NONE',
  });
  if (updated === undefined && !(await landedBefore(t, input))) {
    throw new VersionConflictError(taskId, input.expectedVersion);
  }
  // Committed. A put that fails leaves its event pending in the snapshot: readers and the next
  // commit take it from there, so the commit still succeeded.
  const puts = await Promise.allSettled(
    input.events.map((e) => putEvent(t, next.tenant, taskId, e, next.expiresAt)),
  );
  const failed = puts.flatMap((p, i) =>
    p.status === 'rejected' ? [{ seq: input.events[i]?.seq, err: p.reason }] : [],
  );
  if (failed.length === 0) logs.know(pk, next.version);
  else {
    t.logger.warn(
      { taskId, seqs: failed.map((f) => f.seq), err: failed[0]?.err },
      'event puts failed after the commit: the events stay pending in the snapshot, where reads and the next commit take them',
    );
  }
}

/**
 * Whether this very commit is in the log: an update whose answer was lost lands, and the SDK's
 * resend of it then fails its condition (a transaction's request token covers this). Its seqs
 * hold its events exactly (same times, same content), in the log or still pending, even when
 * other commits followed before the resend. A commit without events cannot be told apart, and
 * its resend succeeds on its own: a refused one is a conflict.
 */
async function landedBefore(t: TableAccess, input: TenantCommit): Promise<boolean> {
  if (input.events.length === 0) return false;
  const logged = await readEvents(
    t,
    input.next.tenant,
    input.taskId,
    input.expectedVersion,
    input.events.length,
  );
  return (
    logged.length === input.events.length &&
    logged.every((e, i) => {
      const mine = input.events[i];
      // the event as stored is its JSON read back: the same keys in the same order
      return (
        e.seq === mine?.seq && e.at === mine.at && JSON.stringify(e.event) === JSON.stringify(mine.event)
      );
    })
  );
}

/**
 * Makes sure the log holds every event up to `version` before a commit replaces the snapshot's
 * pending events: writes those a crashed commit left only there. Throws VersionConflictError when
 * the snapshot has moved on.
 */
async function writePending(
  t: TableAccess,
  logs: CompleteLogs,
  tenant: string,
  taskId: string,
  version: number,
): Promise<void> {
  const pk = taskPk(tenant, taskId);
  if (logs.completeThrough(pk) >= version) return;
  const item = await t.getItem(taskKey(tenant, taskId));
  if (item === undefined) return; // gone or expired: the conditional update refuses the commit
  const { record, pending } = readTaskItem(item);
  if (record.version !== version) throw new VersionConflictError(taskId, version);
  const first = pending[0]?.seq;
  if (first !== undefined) {
    const have = new Set((await queryEvents(t, pk, first, pending.length)).map((e) => e.seq));
    const missing = pending.filter((e) => !have.has(e.seq));
    await Promise.all(missing.map((e) => putEvent(t, tenant, taskId, e, record.expiresAt)));
  }
  logs.know(pk, version);
}

/** The snapshot, the events and the idempotency record in one transaction (no pending events). */
async function transactCommit(t: TableAccess, input: TenantCommit): Promise<void> {
  const { next, taskId } = input;
  const items = [
    {
      Update: {
        TableName: t.table,
        Key: taskKey(next.tenant, taskId),
        ...commitUpdate(taskId, next, input.expectedVersion, t.nowSeconds(), {
          unlessCancelRequested: input.unlessCancelRequested,
        }),
      },
    },
    ...input.events.map((e) => t.putNew(toEventItem(next.tenant, taskId, e, next.expiresAt))),
  ];
  if (input.idempotencyKey !== undefined) {
    items.push(
      t.putNew({
        ...messageKey(next.tenant, input.idempotencyKey),
        taskId,
        createdAt: new Date(t.clock.now()).toISOString(),
      }),
    );
  }
  try {
    await t.transact(items);
  } catch (err) {
    if (cancellationCodes(err)?.includes('ConditionalCheckFailed')) {
      throw new VersionConflictError(taskId, input.expectedVersion, { cause: err });
    }
    throw storeError(err);
  }
}
