/**
 * Writing and deleting push config items. Two rules hold inside one transaction each:
 * - the number of configs: the task item keeps `pushCount`; adding a config increments it on the
 *   condition that it is below the cap, deleting one decrements it, so concurrent creates cannot
 *   pass the cap (the transaction serializes them on the task item);
 * - ownership: the config item keeps `owner` beside its JSON body; replacing or deleting it is
 *   conditioned on the caller's subject.
 * A failed condition is explained by reading the task and the config once, then retried or
 * turned into the typed error.
 */
import {
  PushConfigLimitError,
  PushConfigNotOwnedError,
  RetryableError,
  VersionConflictError,
} from '../../core/errors';
import type { StoredPushConfig } from '../../core/ports/task-store';
import { cancellationCodes, storeError } from './dynamo-errors';
import { pushSk, taskKey, taskPk } from './keys';
import type { TableAccess, TransactItem } from './table-access';
import { fromPushItem, type Item, toPushItem } from './task-items';

/** The task item's count of its push configs. */
export const PUSH_COUNT = 'pushCount';

const ATTEMPTS = 4;

export async function putPushConfig(
  t: TableAccess,
  tenant: string,
  taskId: string,
  config: StoredPushConfig,
  maxPerTask: number,
): Promise<void> {
  const id = config.config.id ?? '';
  // Common case first: a new config on a running task (no TTL yet).
  let mode: 'new' | 'replace' = 'new';
  let exp: number | undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      await t.transact([
        taskCheck(t, tenant, taskId, mode, exp, maxPerTask),
        configPut(t, tenant, taskId, config, mode, exp),
      ]);
      return;
    } catch (err) {
      if (!cancellationCodes(err)?.includes('ConditionalCheckFailed')) throw storeError(err);
    }
    const [task, existing] = await Promise.all([
      t.getItem(taskKey(tenant, taskId)),
      t.getItem({ PK: taskPk(tenant, taskId), SK: pushSk(id) }),
    ]);
    if (!task) throw new VersionConflictError(taskId, -1);
    exp = typeof task.expiresAt === 'number' ? task.expiresAt : undefined;
    if (existing) {
      if (fromPushItem(existing).owner !== config.owner) throw new PushConfigNotOwnedError(taskId, id);
      mode = 'replace';
    } else {
      mode = 'new';
      if (countOf(task) >= maxPerTask) throw new PushConfigLimitError(taskId, maxPerTask);
    }
  }
  throw new RetryableError(`push config ${id} of task ${taskId} kept changing; retry`);
}

/** Idempotent; a config of another subject is kept (PushConfigNotOwnedError). */
export async function deletePushConfig(
  t: TableAccess,
  tenant: string,
  taskId: string,
  id: string,
  subject: string,
): Promise<void> {
  const key = { PK: taskPk(tenant, taskId), SK: pushSk(id) };
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const owned = ownedBy(subject);
    try {
      await t.transact([
        {
          Delete: {
            TableName: t.table,
            Key: key,
            ConditionExpression: `attribute_exists(PK) AND ${owned.condition}`,
            ExpressionAttributeNames: owned.names,
            ExpressionAttributeValues: owned.values,
          },
        },
        {
          Update: {
            TableName: t.table,
            Key: taskKey(tenant, taskId),
            UpdateExpression: 'ADD #count :minus',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeNames: { '#count': PUSH_COUNT },
            ExpressionAttributeValues: { ':minus': -1 },
          },
        },
      ]);
      return;
    } catch (err) {
      if (!cancellationCodes(err)?.includes('ConditionalCheckFailed')) throw storeError(err);
    }
    const existing = await t.getItem(key);
    if (!existing) return;
    if (fromPushItem(existing).owner !== subject) throw new PushConfigNotOwnedError(taskId, id);
  }
  throw new RetryableError(`push config ${id} of task ${taskId} kept changing; retry`);
}

/** Marks the task as having push configs (TaskRecord.hasPush) and, for a new config, counts it. */
function taskCheck(
  t: TableAccess,
  tenant: string,
  taskId: string,
  mode: 'new' | 'replace',
  exp: number | undefined,
  maxPerTask: number,
): TransactItem {
  const live = exp === undefined ? 'attribute_not_exists(#exp)' : '#exp = :exp';
  const values: Record<string, unknown> = { ':true': true, ...(exp === undefined ? {} : { ':exp': exp }) };
  const names: Record<string, string> = { '#exp': 'expiresAt' };
  let update = 'SET hasPush = :true';
  let condition = `attribute_exists(PK) AND ${live}`;
  if (mode === 'new') {
    update += ' ADD #count :one';
    condition += ' AND (attribute_not_exists(#count) OR #count < :max)';
    names['#count'] = PUSH_COUNT;
    values[':one'] = 1;
    values[':max'] = maxPerTask;
  }
  return {
    Update: {
      TableName: t.table,
      Key: taskKey(tenant, taskId),
      UpdateExpression: update,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

function configPut(
  t: TableAccess,
  tenant: string,
  taskId: string,
  config: StoredPushConfig,
  mode: 'new' | 'replace',
  exp: number | undefined,
): TransactItem {
  const Item = toPushItem(tenant, taskId, config, exp);
  if (mode === 'new') {
    return { Put: { TableName: t.table, Item, ConditionExpression: 'attribute_not_exists(PK)' } };
  }
  const owned = ownedBy(config.owner);
  return {
    Put: {
      TableName: t.table,
      Item,
      ConditionExpression: `attribute_exists(PK) AND ${owned.condition}`,
      ExpressionAttributeNames: owned.names,
      ExpressionAttributeValues: owned.values,
    },
  };
}

/**
 * The item is `subject`'s. Items written before `owner` became an attribute carry it only in
 * the JSON body: `"owner":"<subject>"` can occur there only as that key (a quote inside a JSON
 * string is always escaped), so `contains` on the body is exact.
 */
function ownedBy(subject: string) {
  return {
    condition: '(#owner = :owner OR (attribute_not_exists(#owner) AND contains(#body, :ownerJson)))',
    names: { '#owner': 'owner', '#body': 'body' },
    values: { ':owner': subject, ':ownerJson': `"owner":${JSON.stringify(subject)}` },
  };
}

function countOf(task: Item): number {
  const n = Number(task[PUSH_COUNT] ?? 0);
  return Number.isFinite(n) ? n : 0;
}
