/**
 * The queued-work count on GSI5 (sparse: only SUBMITTED tasks carry GSI5PK, one of the tenant's
 * SHARDS.queued keys T#<tenant>#QUEUED[#<shard>]), summed over the shards
 * (sharded-query.ts). The index is derived from the tasks themselves, so the count cannot drift or
 * go negative after a crash; being a GSI it may lag a write by a moment, so a burst of sends can
 * pass the cap by about as many as arrive within that lag. A count reads about `limit` index items
 * at most plus one Query per shard. The index items project agentId, contextId, state and
 * expiresAt, which ListTasks filters on (about 300 bytes each with the keys and DynamoDB's
 * per-item 100): 0.5 RRU per ~13 of them, eventually consistent. A count costs 0.5 RRU per shard (2 RRU) for a
 * tenant with few queued tasks and ~40 RRU for one at a cap of 1,000.
 */
import { TaskState } from '../../core/a2a/task-state';
import { GSI5, queuedPks } from './keys';
import { countShards } from './sharded-query';
import type { TableAccess } from './table-access';

export function countQueued(t: TableAccess, tenant: string, limit: number): Promise<number> {
  return countShards(
    (input) => t.query(input),
    queuedPks(tenant),
    (pk) => ({
      IndexName: GSI5,
      ConsistentRead: false, // GSIs offer eventual consistency only
      KeyConditionExpression: '#pk = :pk',
      // an entry left behind by an earlier release's commit, which did not know GSI5, is not queued work
      FilterExpression: '#state = :queued',
      ExpressionAttributeNames: { '#pk': 'GSI5PK', '#state': 'state' },
      ExpressionAttributeValues: { ':pk': pk, ':queued': TaskState.Submitted },
    }),
    limit,
  );
}
