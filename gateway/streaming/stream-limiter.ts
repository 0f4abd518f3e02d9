/**
 * Bounds the open streams of this process, in total and per tenant. A lease is taken before a
 * stream starts and released exactly once when it ends; shutdown() ends every open stream (so
 * the server can close while clients are still attached).
 */
export type StreamLease = { ok: true; signal: AbortSignal; release(): void };
export type StreamRefusal = { ok: false; limit: 'process' | 'tenant'; max: number };

export class StreamLimiter {
  private readonly open = new Map<AbortController, string>();
  private readonly perTenant = new Map<string, number>();

  constructor(
    private readonly maxPerProcess: number,
    private readonly maxPerTenant: number,
  ) {}

  acquire(tenant: string): StreamLease | StreamRefusal {
    if (this.open.size >= this.maxPerProcess) return { ok: false, limit: 'process', max: this.maxPerProcess };
    const held = this.perTenant.get(tenant) ?? 0;
    if (held >= this.maxPerTenant) return { ok: false, limit: 'tenant', max: this.maxPerTenant };
    const controller = new AbortController();
    this.open.set(controller, tenant);
    this.perTenant.set(tenant, held + 1);
    let released = false;
    return {
      ok: true,
      signal: controller.signal,
      release: () => {
        if (released) return;
        released = true;
        this.open.delete(controller);
        const left = (this.perTenant.get(tenant) ?? 1) - 1;
        if (left > 0) this.perTenant.set(tenant, left);
        else this.perTenant.delete(tenant);
      },
    };
  }

  /** Open streams in total, or of one tenant. */
  count(tenant?: string): number {
    return tenant === undefined ? this.open.size : (this.perTenant.get(tenant) ?? 0);
  }

  /** Ends every open stream. */
  shutdown(): void {
    for (const controller of this.open.keys()) controller.abort();
  }
}
