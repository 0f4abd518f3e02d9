/**
 * The events a dispatch read brought along (PushDispatchRead.events), and which page of a
 * config's deliveries they can serve without another read: those after the config's cursor, when
 * the read started at or before it and either holds the whole page or found nothing more.
 */
import type { StoredEvent } from '../../core/task-record';

export interface LogWindow {
  /** the seq the read started after; undefined when it read no events */
  afterSeq: number | undefined;
  events: StoredEvent[];
  /** fewer events than the read's limit came back: the log ended there when it was read */
  complete: boolean;
}

export const logWindow = (afterSeq: number | undefined, events: StoredEvent[], limit: number): LogWindow => ({
  afterSeq,
  events,
  complete: events.length < limit,
});

/** Up to `wanted` events after `cursor` from the window; undefined if it cannot tell them all. */
export function fromWindow(
  w: LogWindow | undefined,
  cursor: number,
  wanted: number,
): StoredEvent[] | undefined {
  if (w?.afterSeq === undefined || w.afterSeq > cursor) return undefined;
  const events: StoredEvent[] = [];
  for (const event of w.events) {
    if (events.length >= wanted) break;
    if (event.seq > cursor) events.push(event);
  }
  return events.length >= wanted || w.complete ? events : undefined;
}

/**
 * The events that continue the log from `cursor` without a gap. A read of several items is not
 * isolated from a commit in progress in DynamoDB (read-committed per item): it may see a later
 * event before an earlier one of the same commit. Sending past a gap would move the cursor over
 * an event never sent; stopping there leaves it to the next look at the log.
 */
export function contiguous(cursor: number, events: StoredEvent[]): StoredEvent[] {
  let n = 0;
  while (n < events.length && (events[n] as StoredEvent).seq === cursor + n + 1) n++;
  return n === events.length ? events : events.slice(0, n);
}
