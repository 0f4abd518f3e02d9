/**
 * The queued-work count on GSI4 (sparse: only SUBMITTED tasks carry GSI4PK, one of the tenant's
 * SHARDS.queued keys T#<tenant>#QUEUED[#<shard>], keys only), summed over the shards
 * (sharded-query.ts). The index is derived from the tasks themselves, so the count cannot drift or
 * go negative after a crash; being a GSI it may lag a write by a moment, so a burst of sends can
 * pass the cap by about as many as arrive within that lag. A count reads about `limit` index items
 * at most (about 220 bytes each with their table keys: 0.5 RRU per ~18 of them, eventually
 * consistent) plus one Query per shard, so it costs 0.5 RRU per shard (2 RRU) for a tenant with
 * few queued tasks and ~30 RRU for one at a cap of 1,000.
 */
import { GSI4, queuedPks } from './keys';
import { countShards } from './sharded-query';
import type { TableAccess } from './table-access';

export function countQueued(t: TableAccess, tenant: string, limit: number): Promise<number> {
  return countShards(
    (input) => t.query(input),
    queuedPks(tenant),
    (pk) => ({
      IndexName: GSI4,
      ConsistentRead: false, // GSIs offer eventual consistency only
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'GSI4PK' },
      ExpressionAttributeValues: { ':pk': pk },
    }),
    limit,
  );
}
