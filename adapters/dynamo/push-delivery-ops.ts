/**
 * The push delivery cursor of a config and its dispatch lease: conditional UpdateItems on the
 * config item. The condition on `deliveredSeq` (an attribute beside the JSON body) makes
 * concurrent dispatchers safe: only one moves the cursor from a given seq.
 */
import type { PushDeliveryMove } from '../../core/ports/push-config-store';
import type { StoredPushConfig } from '../../core/ports/task-store';
import type { Lease } from '../../core/task-record';
import { pushSk, taskPk } from './keys';
import { LIVE, type TableAccess } from './table-access';
import { fromPushItem } from './task-items';

export async function updatePushDelivery(
  t: TableAccess,
  tenant: string,
  taskId: string,
  config: StoredPushConfig,
  expectedSeq: number,
): Promise<boolean> {
  const updated = await t.update({
    Key: { PK: taskPk(tenant, taskId), SK: pushSk(config.config.id ?? '') },
    UpdateExpression: 'SET #body = :body, #seq = :next',
    ConditionExpression: `attribute_exists(PK) AND ${LIVE} AND #seq = :expected`,
    ExpressionAttributeNames: { '#body': 'body', '#seq': 'deliveredSeq', '#exp': 'expiresAt' },
    ExpressionAttributeValues: {
      ':body': JSON.stringify(config),
      ':next': config.delivery?.lastDeliveredSeq ?? 0,
      ':expected': expectedSeq,
      ':now': t.nowSeconds(),
    },
  });
  return updated !== undefined;
}

const LEASE_NAMES = { '#lease': 'dispatchLease', '#owner': 'owner', '#until': 'until', '#exp': 'expiresAt' };

export async function acquirePushLease(
  t: TableAccess,
  tenant: string,
  taskId: string,
  configId: string,
  lease: Lease,
  now: number,
): Promise<StoredPushConfig | undefined> {
  const item = await t.update({
    Key: { PK: taskPk(tenant, taskId), SK: pushSk(configId) },
    UpdateExpression: 'SET #lease = :lease',
    ConditionExpression: `attribute_exists(PK) AND ${LIVE} AND (attribute_not_exists(#lease) OR #lease.#until <= :at OR #lease.#owner = :owner)`,
    ExpressionAttributeNames: LEASE_NAMES,
    ExpressionAttributeValues: {
      ':lease': { owner: lease.owner, until: lease.until },
      ':at': now,
      ':owner': lease.owner,
      ':now': t.nowSeconds(),
    },
  });
  return item === undefined ? undefined : fromPushItem(item);
}

/**
 * Removes the lease if `owner` holds it. With a cursor move, the same UpdateItem stores the run's
 * delivery state, on the conditions updatePushDelivery has: one write ends a run, not two.
 */
export async function releasePushLease(
  t: TableAccess,
  tenant: string,
  taskId: string,
  configId: string,
  owner: string,
  delivery?: PushDeliveryMove,
): Promise<boolean> {
  const Key = { PK: taskPk(tenant, taskId), SK: pushSk(configId) };
  const names = { '#lease': 'dispatchLease', '#owner': 'owner' };
  if (!delivery) {
    const released = await t.update({
      Key,
      UpdateExpression: 'REMOVE #lease',
      ConditionExpression: '#lease.#owner = :owner',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':owner': owner },
      ReturnValues: 'NONE',
    });
    return released !== undefined;
  }
  const moved = await t.update({
    Key,
    UpdateExpression: 'SET #body = :body, #seq = :next REMOVE #lease',
    ConditionExpression: `attribute_exists(PK) AND ${LIVE} AND #lease.#owner = :owner AND #seq = :expected`,
    ExpressionAttributeNames: { ...names, '#body': 'body', '#seq': 'deliveredSeq', '#exp': 'expiresAt' },
    ExpressionAttributeValues: {
      ':owner': owner,
      ':body': JSON.stringify(delivery.config),
      ':next': delivery.config.delivery?.lastDeliveredSeq ?? 0,
      ':expected': delivery.expectedSeq,
      ':now': t.nowSeconds(),
    },
    ReturnValues: 'NONE',
  });
  return moved !== undefined;
}
