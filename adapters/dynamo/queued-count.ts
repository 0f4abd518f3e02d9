/**
 * The queued-work count on GSI4 (sparse: only SUBMITTED tasks carry GSI4PK = T#<tenant>#QUEUED,
 * keys only). The index is derived from the tasks themselves, so the count cannot drift or go
 * negative after a crash; being a GSI it may lag a write by a moment, so a burst of sends can pass
 * the cap by about as many as arrive within that lag. A count reads at most `limit` index items
 * (about 220 bytes each with their table keys: 0.5 RRU per ~18 of them, eventually consistent), so
 * it costs 0.5 RRU for a tenant with few queued tasks and ~28 RRU for one at a cap of 1,000.
 */
import { GSI4, queuedPk } from './keys';
import type { TableAccess } from './table-access';

export async function countQueued(t: TableAccess, tenant: string, limit: number): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  while (count < limit) {
    const out = await t.query({
      IndexName: GSI4,
      ConsistentRead: false, // GSIs offer eventual consistency only
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'GSI4PK' },
      ExpressionAttributeValues: { ':pk': queuedPk(tenant) },
      Select: 'COUNT',
      Limit: limit - count,
      ...(start ? { ExclusiveStartKey: start } : {}),
    });
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
    if (start === undefined) break;
  }
  return Math.min(count, limit);
}
