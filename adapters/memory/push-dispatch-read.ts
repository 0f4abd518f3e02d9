/**
 * The memory store's push dispatch read (PushDispatchReads): the task, its live configs and the
 * events after `afterSeq`, copied out of one entry. The log is in seq order, so the first new
 * event is found by binary search, not by a pass over the whole log.
 */
import type { PushDispatchRead } from '../../core/ports/push-config-store';
import type { StoredPushConfig } from '../../core/ports/task-store';
import type { StoredEvent, TaskRecord } from '../../core/task-record';

interface Expiring<T> {
  value: T;
  expiresAt?: number;
}

/** The parts of a memory store entry the read looks at. */
export interface DispatchEntry {
  task: TaskRecord;
  events: Expiring<StoredEvent>[];
  configs: Map<string, Expiring<StoredPushConfig>>;
}

export function pushDispatchRead(
  e: DispatchEntry,
  afterSeq: number | undefined,
  limit: number,
  expired: (expiresAt: number | undefined) => boolean,
): PushDispatchRead {
  const events: StoredEvent[] = [];
  if (afterSeq !== undefined) {
    for (let i = firstAfter(e.events, afterSeq); i < e.events.length && events.length < limit; i++) {
      const ev = e.events[i] as Expiring<StoredEvent>;
      if (!expired(ev.expiresAt)) events.push(ev.value);
    }
  }
  const configs = [...e.configs.keys()].sort().flatMap((id) => {
    const c = e.configs.get(id);
    return c && !expired(c.expiresAt) ? [c.value] : [];
  });
  return structuredClone({ task: e.task, configs, events });
}

/** Index of the first event with a seq above `afterSeq`. */
function firstAfter(events: Expiring<StoredEvent>[], afterSeq: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((events[mid] as Expiring<StoredEvent>).value.seq <= afterSeq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
