/**
 * The per-tenant cap on queued work: before a SendMessage puts a task (new or continued) on the
 * queue, the tenant's SUBMITTED tasks are counted in the shared store, so the cap holds across
 * every gateway instance. The count may lag a write a little (QueuedTaskCount.countQueued): a burst can
 * pass the cap by about as many sends as arrive within that lag.
 */
import type { RequestContext } from '../context';
import { TenantQueueFullError } from '../errors';
import type { UseCaseDeps } from './deps';

/** Retry-After of the refusal: about how long a worker needs to take a few tasks off the queue. */
export const QUEUE_FULL_RETRY_AFTER_SECONDS = 5;

export async function admitQueuedWork(deps: UseCaseDeps, ctx: RequestContext): Promise<void> {
  const limit = deps.settings.maxQueuedTasksPerTenant;
  if (limit === undefined) return;
  const queued = await deps.store.countQueued(ctx, limit);
  if (queued >= limit) {
    deps.logger.warn({ tenant: ctx.principal.tenant, limit }, 'tenant queue full: send refused');
    throw new TenantQueueFullError(limit, QUEUE_FULL_RETRY_AFTER_SECONDS);
  }
}
