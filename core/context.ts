/** Who is calling, for which tenant: every port call takes one, so no call can forget the tenant. */
export interface Principal {
  tenant: string;
  subject: string;
  scopes: readonly string[];
}

export interface RequestContext {
  principal: Principal;
  requestId: string;
  /** W3C traceparent, when the caller sent one or the gateway started one */
  traceparent?: string;
}

export const tenantOf = (ctx: RequestContext): string => ctx.principal.tenant;

/** A context for work that runs on behalf of a stored task's tenant (workers, reconciler). */
export function systemContext(tenant: string, requestId: string, traceparent?: string): RequestContext {
  const ctx: RequestContext = { principal: { tenant, subject: 'system', scopes: [] }, requestId };
  if (traceparent) ctx.traceparent = traceparent;
  return ctx;
}

/**
 * The trace id of a W3C traceparent (`00-<trace id>-<span id>-<flags>`), for the `traceId` log
 * field; undefined when there is no traceparent (pino then leaves the field out).
 */
export const traceIdOf = (traceparent: string | undefined): string | undefined => traceparent?.split('-')[1];
