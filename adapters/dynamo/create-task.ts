/**
 * A task's create. Its id is new, so nothing else is stored under it yet: its first events and
 * its push configs go in first, as puts that only create (billed once each, sent in parallel),
 * and then one transaction of the snapshot and the idempotency record (the message's key -> the
 * task) makes the task visible. Every reader starts from the snapshot (GetTask, ListTasks through
 * the indexes, a dispatch's read, the claim), so none sees the items of a task whose transaction
 * has not happened. Against one transaction of all four items: 2 WRU less per task with a push
 * config, for a second round trip (README decision 82).
 *
 * A retried message finds the record and gets the task it created (its own items are deleted
 * again); a record whose task has expired (or vanished) is taken over once. A create that dies
 * between the two writes, or whose transaction did not commit but lost its answer, leaves its
 * event and config items behind, unreachable (README, Data: known gap).
 */
import { VersionConflictError } from '../../core/errors';
import type { CreateTaskInput, CreateTaskResult } from '../../core/ports/task-store';
import type { TaskRecord } from '../../core/task-record';
import { checkSizes } from '../shared/commit-checks';
import { cancellationCodes, storeError } from './dynamo-errors';
import { messageKey } from './keys';
import { PUSH_COUNT } from './push-config-ops';
import type { TableAccess, TransactItem } from './table-access';
import { configId, type Item, itemKey, toEventItem, toPushItem, toTaskItem } from './task-items';

/** What an idempotency key names now: the task id it maps to, and that task if it is live. */
export type MessageLookup = (
  idempotencyKey: string,
) => Promise<{ existingId: string | undefined; existing: TaskRecord | undefined }>;

/** The transaction's items: the snapshot, then the idempotency record. */
const MAPPING_INDEX = 1;

export async function createTask(
  t: TableAccess,
  tenant: string,
  input: CreateTaskInput,
  lookup: MessageLookup,
): Promise<CreateTaskResult> {
  const task: TaskRecord = { ...input.task, tenant };
  const configs = [...new Map((input.pushConfigs ?? []).map((c) => [configId(c), c])).values()];
  checkSizes([task, ...input.events, ...configs]);
  const first: Item[] = [
    ...input.events.map((e) => toEventItem(tenant, task.id, e, task.expiresAt)),
    ...configs.map((c) => toPushItem(tenant, task.id, c, task.expiresAt)),
  ];
  await putFirst(t, task.id, first);
  const result = await createVisible(t, tenant, task, input, configs.length, lookup).catch(
    async (err: unknown) => {
      // Only a cancelled transaction surely wrote nothing: after a lost answer or a 5xx it may
      // have committed, and its task needs these items. Left alone, they are orphans at worst.
      if (cancelled(err)) await withdraw(t, first);
      throw err;
    },
  );
  if (!result.created && result.task.id !== task.id) await withdraw(t, first);
  return result;
}

/** A TransactionCanceledException, as thrown or as the cause of what was made of it. */
const cancelled = (err: unknown): boolean =>
  cancellationCodes(err) !== undefined ||
  (err instanceof Error && cancellationCodes(err.cause) !== undefined);

/** Deletes the items of a create that did not happen: best effort, they are unreachable anyway. */
async function withdraw(t: TableAccess, items: readonly Item[]): Promise<void> {
  await Promise.all(items.map((item) => t.deleteItem(itemKey(item)).catch(() => undefined)));
}

/**
 * The first events and push configs, each a put that only creates (in parallel): a task id that
 * exists already (never by chance: ids are random UUIDs) fails here with nothing of that task
 * overwritten, and what this create did write is taken back.
 */
async function putFirst(t: TableAccess, taskId: string, items: readonly Item[]): Promise<void> {
  const puts = await Promise.allSettled(items.map((item) => t.putIfAbsent(item)));
  const written = items.filter((_, i) => {
    const put = puts[i];
    return put?.status === 'fulfilled' && put.value;
  });
  if (written.length === items.length) return;
  await withdraw(t, written);
  const failed = puts.find((p): p is PromiseRejectedResult => p.status === 'rejected');
  if (failed) throw failed.reason;
  throw new VersionConflictError(taskId, 0);
}

async function createVisible(
  t: TableAccess,
  tenant: string,
  task: TaskRecord,
  input: CreateTaskInput,
  configCount: number,
  lookup: MessageLookup,
): Promise<CreateTaskResult> {
  let stale: string | undefined;
  for (let attempt = 0; ; attempt++) {
    const mapping: TransactItem = {
      Put: {
        TableName: t.table,
        Item: { ...messageKey(tenant, input.idempotencyKey), taskId: task.id, createdAt: task.createdAt },
        ConditionExpression:
          stale === undefined ? 'attribute_not_exists(PK)' : 'attribute_not_exists(PK) OR taskId = :stale',
        ...(stale === undefined ? {} : { ExpressionAttributeValues: { ':stale': stale } }),
      },
    };
    const snapshot = t.putNew({
      ...toTaskItem(tenant, task),
      ...(configCount > 0 ? { [PUSH_COUNT]: configCount } : {}),
    });
    try {
      await t.transact([snapshot, mapping]);
      return { created: true, task };
    } catch (err) {
      const codes = cancellationCodes(err);
      if (codes?.[MAPPING_INDEX] !== 'ConditionalCheckFailed') {
        if (codes?.includes('ConditionalCheckFailed'))
          throw new VersionConflictError(task.id, 0, { cause: err });
        throw storeError(err);
      }
      const { existingId, existing } = await lookup(input.idempotencyKey);
      if (existing) return { created: false, task: existing };
      // The task that messageId created has expired (or vanished): the messageId is free again.
      if (attempt > 0) throw new VersionConflictError(task.id, 0, { cause: err });
      stale = existingId;
    }
  }
}
