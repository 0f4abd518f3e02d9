/**
 * The queued-work cap's count, reused for a moment by the one gateway process that admits all of
 * a deployment's work (the local stack). Counting a tenant's SUBMITTED tasks is one Query per
 * GSI4 shard (queued-count.ts): four of the six DynamoDB requests of a SendMessage, and the most
 * costly ones on DynamoDB Local's single SQLite thread.
 *
 * The reused figure is an upper bound when this process admits every queued task: the last count
 * plus each send asked about since (a task leaves SUBMITTED without asking, which only lowers the
 * true count). So a reused figure never refuses: it is used only while it stays below half the
 * cap and is younger than `maxAgeMs`; past either, the store counts again, and a send is refused
 * on a fresh count only. Where several processes admit work (Lambda), each would miss the others'
 * sends: it is not wired there (README decision 75).
 */
import { type RequestContext, tenantOf } from '../../core/context';
import type { Clock } from '../../core/ports/clock';
import type { QueuedTaskCount } from '../../core/ports/run-control';

interface Counted {
  count: number;
  /** clock ms of the count */
  at: number;
  /** sends asked about since the count (each may have added a queued task) */
  since: number;
}

/** Tenants remembered before the stale ones are dropped. */
const SWEEP_AT = 1_000;

export class QueuedCountReuse implements QueuedTaskCount {
  private readonly counted = new Map<string, Counted>();

  constructor(
    private readonly store: QueuedTaskCount,
    private readonly clock: Clock,
    private readonly maxAgeMs: number,
  ) {}

  async countQueued(ctx: RequestContext, limit: number): Promise<number> {
    const tenant = tenantOf(ctx);
    const now = this.clock.now();
    const last = this.counted.get(tenant);
    if (last !== undefined && now - last.at < this.maxAgeMs && last.count + last.since < limit / 2) {
      const bound = last.count + last.since;
      last.since += 1;
      return bound;
    }
    const count = await this.store.countQueued(ctx, limit);
    if (this.counted.size >= SWEEP_AT) this.sweep(now);
    // This send is admitted on the count (or refused, and then the next one counts again anyway).
    this.counted.set(tenant, { count, at: now, since: 1 });
    return count;
  }

  private sweep(now: number): void {
    for (const [tenant, c] of this.counted) if (now - c.at >= this.maxAgeMs) this.counted.delete(tenant);
  }
}

/** `store` with its countQueued answered by a QueuedCountReuse; every other member as it is. */
export function withQueuedCountReuse<S extends QueuedTaskCount>(store: S, clock: Clock, maxAgeMs: number): S {
  const reuse = new QueuedCountReuse(store, clock, maxAgeMs);
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'countQueued')
        return (ctx: RequestContext, limit: number) => reuse.countQueued(ctx, limit);
      return Reflect.get(target, prop, receiver);
    },
  });
}
