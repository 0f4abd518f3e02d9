/**
 * Control-field writes on the task snapshot: the worker lease and the cancel flag. Each is one
 * conditional UpdateItem and none of them changes `version`, so they never conflict with commits
 * (and commits never write these fields, except that the commit ending a task ends its lease).
 * Claims and renewals leave the reconciler index alone (an index key move is 2 WRU): the
 * reconciler defers a task it finds under a live lease to the lease's end. A release sets the due
 * time a grace period ahead (GSI3SK; the item is indexed only while GSI3PK is set, see
 * reconcile-due.ts).
 */
import { TaskState } from '../../core/a2a/task-state';
import type { LeaseRequest } from '../../core/ports/task-store';
import type { Lease } from '../../core/task-record';
import { STALE_SUBMITTED_MS } from '../shared/reconcile-due';
import { reconcileSk, taskKey } from './keys';
import { LIVE, type TableAccess } from './table-access';
import type { Item } from './task-items';

const LEASE_NAMES = { '#lease': 'lease', '#owner': 'owner', '#exp': 'expiresAt' };
const NAMES = { ...LEASE_NAMES, '#g3sk': 'GSI3SK' };

/** Takes the lease when none is held, the held one has ended, or this owner holds it: the snapshot item as it now is. */
export async function acquireLease(
  t: TableAccess,
  tenant: string,
  req: LeaseRequest,
): Promise<Item | undefined> {
  const runnable =
    req.runnableFrom === undefined
      ? { condition: '', names: {}, values: {} }
      : {
          condition: ' AND #state IN (:submitted, :working) AND #version >= :from',
          names: { '#state': 'state', '#version': 'version' },
          values: {
            ':submitted': TaskState.Submitted,
            ':working': TaskState.Working,
            ':from': req.runnableFrom,
          },
        };
  const item = await t.update({
    Key: taskKey(tenant, req.taskId),
    UpdateExpression: 'SET #lease = :lease',
    ConditionExpression: `attribute_exists(PK) AND ${LIVE} AND (attribute_not_exists(#lease) OR #lease.#until <= :at OR #lease.#owner = :owner)${runnable.condition}`,
    ExpressionAttributeNames: { ...LEASE_NAMES, '#until': 'until', ...runnable.names },
    ExpressionAttributeValues: {
      ':lease': { owner: req.lease.owner, until: req.lease.until },
      ':at': req.now,
      ':owner': req.lease.owner,
      ':now': t.nowSeconds(),
      ...runnable.values,
    },
  });
  return item;
}

export async function renewLease(
  t: TableAccess,
  tenant: string,
  taskId: string,
  lease: Lease,
): Promise<boolean> {
  const item = await t.update({
    Key: taskKey(tenant, taskId),
    UpdateExpression: 'SET #lease = :lease',
    ConditionExpression: `#lease.#owner = :owner AND ${LIVE}`,
    ExpressionAttributeNames: LEASE_NAMES,
    ExpressionAttributeValues: {
      ':lease': { owner: lease.owner, until: lease.until },
      ':owner': lease.owner,
      ':now': t.nowSeconds(),
    },
    ReturnValues: 'NONE',
  });
  return item !== undefined;
}

/** Removes the lease if this owner holds it; otherwise nothing happens. */
export async function releaseLease(
  t: TableAccess,
  tenant: string,
  taskId: string,
  owner: string,
): Promise<void> {
  await t.update({
    Key: taskKey(tenant, taskId),
    UpdateExpression: 'REMOVE #lease SET #g3sk = :due',
    ConditionExpression: `#lease.#owner = :owner AND ${LIVE}`,
    ExpressionAttributeNames: NAMES,
    ExpressionAttributeValues: {
      ':owner': owner,
      ':now': t.nowSeconds(),
      ':due': reconcileSk(t.clock.now() + STALE_SUBMITTED_MS, tenant, taskId),
    },
    ReturnValues: 'NONE',
  });
}

/** Sets cancelRequested on an existing, unexpired task; a missing task is a no-op. */
export async function requestCancel(t: TableAccess, tenant: string, taskId: string): Promise<void> {
  await t.update({
    Key: taskKey(tenant, taskId),
    UpdateExpression: 'SET #cancel = :true',
    ConditionExpression: `attribute_exists(PK) AND ${LIVE}`,
    ExpressionAttributeNames: { '#cancel': 'cancelRequested', '#exp': 'expiresAt' },
    ExpressionAttributeValues: { ':true': true, ':now': t.nowSeconds() },
    ReturnValues: 'NONE',
  });
}
