/**
 * The push delivery cursor of a config and its dispatch lease: conditional UpdateItems on the
 * config item. The condition on `deliveredSeq` (an attribute beside the JSON body) makes
 * concurrent dispatchers safe: only one moves the cursor from a given seq.
 */
import type { PushDeliveryMove, PushRelease } from '../../core/ports/push-config-store';
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
/** Set on the config by a dispatcher the lease turned away; the holder's release reads and clears it. */
const KNOCK = 'dispatchKnock';
const ACQUIRE_TRIES = 5;

/**
 * Takes the lease, clearing any knock meant for an earlier holder. Refused by a live holder, it
 * knocks (one more conditional write, only when the config is busy); if the lease was released
 * in between, it tries again to take it. A refusal must end in a knock: an unknocked holder does
 * not look at the log again, and the refused trigger comes back only when a lease could have
 * ended (push-dispatcher/handler.ts). Only a lease that changes hands between every take and
 * knock, ACQUIRE_TRIES times in a row, ends it without one.
 */
export async function acquirePushLease(
  t: TableAccess,
  tenant: string,
  taskId: string,
  configId: string,
  lease: Lease,
  now: number,
): Promise<StoredPushConfig | undefined> {
  const Key = { PK: taskPk(tenant, taskId), SK: pushSk(configId) };
  for (let attempt = 0; attempt < ACQUIRE_TRIES; attempt++) {
    const item = await t.update({
      Key,
      UpdateExpression: 'SET #lease = :lease REMOVE #knock',
      ConditionExpression: `attribute_exists(PK) AND ${LIVE} AND (attribute_not_exists(#lease) OR #lease.#until <= :at OR #lease.#owner = :owner)`,
      ExpressionAttributeNames: { ...LEASE_NAMES, '#knock': KNOCK },
      ExpressionAttributeValues: {
        ':lease': { owner: lease.owner, until: lease.until },
        ':at': now,
        ':owner': lease.owner,
        ':now': t.nowSeconds(),
      },
    });
    if (item !== undefined) return fromPushItem(item);
    const knocked = await t.update({
      Key,
      UpdateExpression: 'SET #knock = :true',
      ConditionExpression: `attribute_exists(PK) AND ${LIVE} AND #lease.#until > :at AND #lease.#owner <> :owner`,
      ExpressionAttributeNames: { ...LEASE_NAMES, '#knock': KNOCK },
      ExpressionAttributeValues: { ':true': true, ':at': now, ':owner': lease.owner, ':now': t.nowSeconds() },
      ReturnValues: 'NONE',
    });
    // Knocked on a live holder's door: it looks again after its release. Otherwise the lease
    // ended (or the config is gone) since the refusal: try again.
    if (knocked !== undefined) return undefined;
  }
  return undefined;
}

/**
 * Removes the lease if `owner` holds it, and the knock with it. With a cursor move, the same
 * UpdateItem stores the run's delivery state, on the conditions updatePushDelivery has: one
 * write ends a run, not two. With `expiresAt`, it also stamps the config with its ended task's
 * expiry (decision 76).
 */
export async function releasePushLease(
  t: TableAccess,
  tenant: string,
  taskId: string,
  configId: string,
  owner: string,
  delivery?: PushDeliveryMove,
  expiresAt?: number,
): Promise<PushRelease> {
  const Key = { PK: taskPk(tenant, taskId), SK: pushSk(configId) };
  const names: Record<string, string> = { '#lease': 'dispatchLease', '#owner': 'owner', '#knock': KNOCK };
  const values: Record<string, unknown> = { ':owner': owner };
  const set: string[] = [];
  if (expiresAt !== undefined) {
    set.push('#exp = :stamp');
    names['#exp'] = 'expiresAt';
    values[':stamp'] = expiresAt;
  }
  let condition = '#lease.#owner = :owner';
  if (delivery) {
    set.push('#body = :body', '#seq = :next');
    Object.assign(names, { '#body': 'body', '#seq': 'deliveredSeq', '#exp': 'expiresAt' });
    Object.assign(values, {
      ':body': JSON.stringify(delivery.config),
      ':next': delivery.config.delivery?.lastDeliveredSeq ?? 0,
      ':expected': delivery.expectedSeq,
      ':now': t.nowSeconds(),
    });
    condition = `attribute_exists(PK) AND ${LIVE} AND #lease.#owner = :owner AND #seq = :expected`;
  }
  const released = await t.update({
    Key,
    UpdateExpression: `${set.length > 0 ? `SET ${set.join(', ')} ` : ''}REMOVE #lease, #knock`,
    ConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ReturnValues: 'UPDATED_OLD',
  });
  if (released === undefined) return false;
  return released[KNOCK] === true ? 'knocked' : 'released';
}

/** Stamps a live config with its ended task's expiry (PushDeliveryCursors.expirePushConfig). */
export async function expirePushConfig(
  t: TableAccess,
  tenant: string,
  taskId: string,
  configId: string,
  expiresAt: number,
): Promise<void> {
  await t.update({
    Key: { PK: taskPk(tenant, taskId), SK: pushSk(configId) },
    UpdateExpression: 'SET #exp = :stamp',
    ConditionExpression: `attribute_exists(PK) AND ${LIVE}`,
    ExpressionAttributeNames: { '#exp': 'expiresAt' },
    ExpressionAttributeValues: { ':stamp': expiresAt, ':now': t.nowSeconds() },
    ReturnValues: 'NONE',
  });
}
