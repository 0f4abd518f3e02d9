/**
 * The memory store's push configs: each kept (copied) in its task's entry, with its dispatch lease
 * and knock beside it, as DynamoDB keeps them as attributes of the config item.
 */
import { PushConfigLimitError, PushConfigNotOwnedError } from '../../core/errors';
import type { PushDeliveryMove, PushRelease } from '../../core/ports/push-config-store';
import type { StoredPushConfig } from '../../core/ports/task-store';
import type { Lease } from '../../core/task-record';
import { clone, type Entry, type Stamped, stamp } from './memory-entry';

export class MemoryPushConfigs {
  /** dispatch leases of push configs (kept beside the config, as DynamoDB keeps an attribute) */
  private readonly leases = new WeakMap<Stamped<StoredPushConfig>, Lease>();
  /** configs whose lease holder turned another dispatcher away (see PushLeases) */
  private readonly knocks = new WeakSet<Stamped<StoredPushConfig>>();

  constructor(private readonly expired: (expiresAt: number | undefined) => boolean) {}

  /** On a live task's entry; the config expires with the task. */
  put(e: Entry, taskId: string, config: StoredPushConfig, maxPerTask: number): void {
    const id = config.config.id ?? '';
    const existing = e.configs.get(id);
    if (existing && !this.expired(existing.expiresAt)) {
      if (existing.value.owner !== config.owner) throw new PushConfigNotOwnedError(taskId, id);
    } else if (e.configs.size >= maxPerTask) {
      throw new PushConfigLimitError(taskId, maxPerTask);
    }
    e.configs.set(id, stamp(clone(config), e.task.expiresAt));
  }

  updateDelivery(live: Entry | undefined, config: StoredPushConfig, expectedSeq: number): boolean {
    const c = live?.configs.get(config.config.id ?? '');
    if (!c || this.expired(c.expiresAt)) return false;
    if ((c.value.delivery?.lastDeliveredSeq ?? 0) !== expectedSeq) return false;
    c.value = clone(config);
    return true;
  }

  acquireLease(live: Entry | undefined, id: string, lease: Lease, now: number): StoredPushConfig | undefined {
    const c = live?.configs.get(id);
    if (!c || this.expired(c.expiresAt)) return undefined;
    const held = this.leases.get(c);
    if (held && held.until > now && held.owner !== lease.owner) {
      this.knocks.add(c);
      return undefined;
    }
    this.knocks.delete(c);
    this.leases.set(c, { ...lease });
    return clone(c.value);
  }

  releaseLease(
    e: Entry | undefined,
    id: string,
    owner: string,
    delivery?: PushDeliveryMove,
    expiresAt?: number,
  ): PushRelease {
    const c = e?.configs.get(id);
    if (!c || this.leases.get(c)?.owner !== owner) return false;
    if (delivery) {
      if (this.expired(c.expiresAt)) return false;
      if ((c.value.delivery?.lastDeliveredSeq ?? 0) !== delivery.expectedSeq) return false;
      c.value = clone(delivery.config);
    }
    if (expiresAt !== undefined) c.expiresAt = expiresAt;
    this.leases.delete(c);
    return this.knocks.delete(c) ? 'knocked' : 'released';
  }

  /** A live config takes its ended task's expiry. */
  expire(e: Entry | undefined, id: string, expiresAt: number): void {
    const c = e?.configs.get(id);
    if (c && !this.expired(c.expiresAt)) c.expiresAt = expiresAt;
  }

  get(e: Entry | undefined, id: string): StoredPushConfig | undefined {
    const c = e?.configs.get(id);
    return c && !this.expired(c.expiresAt) ? clone(c.value) : undefined;
  }

  /** Ordered by config id (code unit order, as DynamoDB orders the sort keys). */
  list(e: Entry | undefined): StoredPushConfig[] {
    if (!e) return [];
    const ids = [...e.configs.keys()].sort();
    return ids.flatMap((id) => {
      const c = e.configs.get(id);
      return c && !this.expired(c.expiresAt) ? [clone(c.value)] : [];
    });
  }

  /** Only the subject that created a live config may delete it; an absent one is a no-op. */
  delete(e: Entry | undefined, taskId: string, id: string, subject: string): void {
    const c = e?.configs.get(id);
    if (!c) return;
    if (!this.expired(c.expiresAt) && c.value.owner !== subject) {
      throw new PushConfigNotOwnedError(taskId, id);
    }
    e?.configs.delete(id);
  }
}
