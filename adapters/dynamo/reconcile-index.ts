/**
 * The reconciler's index on GSI3 (sparse: only SUBMITTED and WORKING tasks carry GSI3PK).
 * GSI3PK = RECON#<shard>, GSI3SK = <due ms, 15 digits>#<tenant>#<taskId>; the index projects
 * `tenant` and `id`. One Query per shard (`GSI3SK < <dueBefore + 1>`), oldest first, merged by
 * sort key (sharded-query.ts, as ListTasks merges GSI1's shards).
 * GSIs are eventually consistent: the reconciler re-reads each task before it acts.
 */
import type { StrandedQuery, StrandedTaskRef } from '../../core/ports/task-store';
import { dueKey, GSI3, reconcilePks, reconcileSk, taskKey } from './keys';
import { mergeShards } from './sharded-query';
import { LIVE, type TableAccess } from './table-access';

export async function findStranded(t: TableAccess, q: StrandedQuery): Promise<StrandedTaskRef[]> {
  if (q.limit < 1) return [];
  const bound = dueKey(q.dueBefore + 1);
  const items = await mergeShards(
    (input) => t.query(input),
    {
      pks: reconcilePks(),
      input: (pk) => ({
        IndexName: GSI3,
        ConsistentRead: false, // GSIs offer eventual consistency only
        KeyConditionExpression: '#pk = :pk AND #sk < :bound',
        ExpressionAttributeNames: { '#pk': 'GSI3PK', '#sk': 'GSI3SK' },
        ExpressionAttributeValues: { ':pk': pk, ':bound': bound },
      }),
      sortKey: (item) => String(item.GSI3SK),
      descending: false,
    },
    q.limit,
  );
  return items.flatMap(({ item }): StrandedTaskRef[] => {
    const { tenant, id, GSI3SK } = item;
    if (typeof tenant !== 'string' || typeof id !== 'string' || typeof GSI3SK !== 'string') return [];
    return [{ tenant, taskId: id, dueAt: Number(GSI3SK.slice(0, GSI3SK.indexOf('#'))) }];
  });
}

/** Sets the due time of an indexed task, never to before the end of a live lease (then a no-op). */
export async function deferReconcile(
  t: TableAccess,
  tenant: string,
  taskId: string,
  until: number,
): Promise<void> {
  const now = t.clock.now();
  await t.update({
    Key: taskKey(tenant, taskId),
    UpdateExpression: 'SET #g3sk = :due',
    ConditionExpression: `attribute_exists(#g3pk) AND ${LIVE} AND (attribute_not_exists(#lease) OR #lease.#until <= :at)`,
    ExpressionAttributeNames: {
      '#g3pk': 'GSI3PK',
      '#g3sk': 'GSI3SK',
      '#lease': 'lease',
      '#until': 'until',
      '#exp': 'expiresAt',
    },
    ExpressionAttributeValues: {
      ':due': reconcileSk(Math.max(until, now), tenant, taskId),
      ':at': Math.max(until, now),
      ':now': now / 1000,
    },
    ReturnValues: 'NONE',
  });
}
