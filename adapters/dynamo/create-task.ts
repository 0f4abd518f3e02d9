/**
 * A task's create: one transaction of the snapshot, its first events, the idempotency record
 * (the message's key -> the task) and its push configs. A retried message finds the record and
 * gets the task it created; a record whose task has expired (or vanished) is taken over once.
 */
import { VersionConflictError } from '../../core/errors';
import type { CreateTaskInput, CreateTaskResult } from '../../core/ports/task-store';
import type { TaskRecord } from '../../core/task-record';
import { checkSizes } from '../shared/commit-checks';
import { cancellationCodes, storeError } from './dynamo-errors';
import { messageKey } from './keys';
import { PUSH_COUNT } from './push-config-ops';
import type { TableAccess, TransactItem } from './table-access';
import { configId, toEventItem, toPushItem, toTaskItem } from './task-items';

/** What an idempotency key names now: the task id it maps to, and that task if it is live. */
export type MessageLookup = (
  idempotencyKey: string,
) => Promise<{ existingId: string | undefined; existing: TaskRecord | undefined }>;

export async function createTask(
  t: TableAccess,
  tenant: string,
  input: CreateTaskInput,
  lookup: MessageLookup,
): Promise<CreateTaskResult> {
  const task: TaskRecord = { ...input.task, tenant };
  const configs = [...new Map((input.pushConfigs ?? []).map((c) => [configId(c), c])).values()];
  checkSizes([task, ...input.events, ...configs]);
  const msgIndex = 1 + input.events.length;
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
    const items: TransactItem[] = [
      t.putNew({
        ...toTaskItem(tenant, task),
        ...(configs.length > 0 ? { [PUSH_COUNT]: configs.length } : {}),
      }),
      ...input.events.map((e) => t.putNew(toEventItem(tenant, task.id, e, task.expiresAt))),
      mapping,
      ...configs.map((c) => ({
        Put: { TableName: t.table, Item: toPushItem(tenant, task.id, c, task.expiresAt) },
      })),
    ];
    try {
      await t.transact(items);
      return { created: true, task };
    } catch (err) {
      const codes = cancellationCodes(err);
      if (codes?.[msgIndex] !== 'ConditionalCheckFailed') {
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
