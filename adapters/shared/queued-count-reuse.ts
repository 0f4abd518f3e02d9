/**
 * The queued-work cap's count, reused for a moment by the one gateway process that admits all of
 * a deployment's work (the local stack). Counting a tenant's SUBMITTED tasks is one Query per
 * GSI5 shard (queued-count.ts): four of the five DynamoDB requests of a new task's SendMessage,
 * and the most costly ones on DynamoDB Local's single SQLite thread.
 *
 * The figure is an upper bound when this process admits every queued task: the last count plus
 * each send asked about since that count started (a task leaves SUBMITTED without asking, which
 * only lowers the true count); sends that arrive while a count is in flight wait for it rather
 * than each counting alone, so concurrent sends are not all answered with the same figure. A
 * count is reused only while the figure stays below half the cap and is younger than
 * `maxAgeMs`; past either, the store counts again, so a send is refused only on a fresh count
 * (plus the sends that shared it). Where several processes admit work (Lambda), each would miss
 * the others' sends: it is not wired there (README decision 75).
 */
import { type RequestContext, tenantOf } from '../../core/context';
import type { Clock } from '../../core/ports/clock';
import type { QueuedTaskCount } from '../../core/ports/run-control';
import { overriding } from './overriding';

interface Counted {
  count: number;
  /** clock ms of the count */
  at: number;
  /** sends asked about since the count started (each may have added a queued task) */
  since: number;
}

/** Tenants remembered before the stale ones are dropped. */
const SWEEP_AT = 1_000;

export class QueuedCountReuse implements QueuedTaskCount {
  private readonly counted = new Map<string, Counted>();
  /** a count in flight per tenant: sends asked meanwhile share it and add to its `since` */
  private readonly counting = new Map<string, Promise<Counted>>();

  constructor(
    private readonly store: QueuedTaskCount,
    private readonly clock: Clock,
    private readonly maxAgeMs: number,
  ) {}

  async countQueued(ctx: RequestContext, limit: number): Promise<number> {
    const tenant = tenantOf(ctx);
    const last = this.counted.get(tenant);
    const fresh = last !== undefined && this.clock.now() - last.at < this.maxAgeMs;
    const entry = fresh && last.count + last.since < limit / 2 ? last : await this.count(ctx, tenant, limit);
    // This send and every one asked before it since the count started: the count may miss them.
    const bound = entry.count + entry.since;
    entry.since += 1;
    return bound;
  }

  /** One count per tenant at a time; concurrent sends wait for it instead of counting alone. */
  private count(ctx: RequestContext, tenant: string, limit: number): Promise<Counted> {
    let pending = this.counting.get(tenant);
    if (pending === undefined) {
      const at = this.clock.now();
      pending = this.store
        .countQueued(ctx, limit)
        .then((count) => {
          if (this.counted.size >= SWEEP_AT) this.sweep(at);
          const entry: Counted = { count, at, since: 0 };
          this.counted.set(tenant, entry);
          return entry;
        })
        .finally(() => this.counting.delete(tenant));
      this.counting.set(tenant, pending);
    }
    return pending;
  }

  private sweep(now: number): void {
    for (const [tenant, c] of this.counted) if (now - c.at >= this.maxAgeMs) this.counted.delete(tenant);
  }
}

/** `store` with its countQueued answered by a QueuedCountReuse; every other member as it is. */
export function withQueuedCountReuse<S extends QueuedTaskCount>(store: S, clock: Clock, maxAgeMs: number): S {
  const reuse = new QueuedCountReuse(store, clock, maxAgeMs);
  const countQueued = (ctx: RequestContext, limit: number) => reuse.countQueued(ctx, limit);
  return overriding(store, { countQueued } as Partial<S>);
}
