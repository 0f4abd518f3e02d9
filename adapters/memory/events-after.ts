/**
 * The memory store's log reads (readEvents, readForDispatch): the live events after a seq, at
 * most `limit`. The log is in seq order, so the first one is found by binary search, not by a
 * pass over the whole log.
 */
import type { StoredEvent } from '../../core/task-record';
import type { Stamped } from './memory-entry';

export function eventsAfter(
  log: readonly Stamped<StoredEvent>[],
  afterSeq: number,
  limit: number,
  expired: (expiresAt: number | undefined) => boolean,
): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (let i = firstAfter(log, afterSeq); i < log.length && events.length < limit; i++) {
    const ev = log[i] as Stamped<StoredEvent>;
    if (!expired(ev.expiresAt)) events.push(ev.value);
  }
  return events;
}

/** Index of the first event with a seq above `afterSeq`. */
function firstAfter(log: readonly Stamped<StoredEvent>[], afterSeq: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((log[mid] as Stamped<StoredEvent>).value.seq <= afterSeq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
