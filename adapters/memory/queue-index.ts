/**
 * The in-process queue's index (in-process-queue.ts): which messages can be received now, per
 * fairness group in send order, and when each of the others becomes visible, so a receive costs
 * the messages it takes and the groups that have some ready, not a pass over every message held.
 *
 * - ready: per named group, its receivable messages in send order; messages sent without a group
 *   (a group of their own each) in one list in send order, all of them groups with nothing in
 *   flight.
 * - waiting: a min-heap by visibleAt of the delayed and in-flight messages. A change of
 *   visibility pushes a new entry and bumps the message's stamp: entries with an older stamp are
 *   stale and skipped when they come up.
 * - inFlight: per named group, its messages received and not yet visible again.
 */

export interface IndexedMessage {
  /** the fairness group; undefined: a group of its own */
  readonly group: string | undefined;
  /** send order in this queue (tie-breaker between groups, order within a group) */
  readonly order: number;
  receiveCount: number;
  /** epoch ms from which it can be received (covers DelaySeconds and in-flight) */
  visibleAt: number;
}

interface Slot<M> {
  message: M;
  ready: boolean;
  stamp: number;
}

interface Group<M> {
  ready: M[];
  inFlight: number;
}

interface Due<M> {
  at: number;
  slot: Slot<M>;
  stamp: number;
}

export class QueueIndex<M extends IndexedMessage> {
  private readonly slots = new Map<M, Slot<M>>();
  private readonly groups = new Map<string, Group<M>>();
  /** named groups with at least one ready message */
  private readonly readyGroups = new Set<Group<M>>();
  private readonly solo: M[] = [];
  private readonly waiting = new MinHeap<Due<M>>((a, b) => a.at - b.at);

  /** Adds a message that is not yet receivable (it becomes so at its visibleAt). */
  add(message: M): void {
    const slot: Slot<M> = { message, ready: false, stamp: 0 };
    this.slots.set(message, slot);
    if (message.receiveCount > 0) this.groupOf(message.group).inFlight += 1;
    this.waiting.push({ at: message.visibleAt, slot, stamp: slot.stamp });
  }

  /** Forgets a message (deleted, or moved to a dead-letter queue). */
  remove(message: M): void {
    const slot = this.slots.get(message);
    if (!slot) return;
    this.slots.delete(message);
    slot.stamp += 1;
    this.leave(slot);
  }

  /** Moves a message's visibility (received now, or changeVisibility): it waits until `at`. */
  hide(message: M, at: number): void {
    const slot = this.slots.get(message);
    if (!slot) return;
    this.leave(slot);
    message.visibleAt = at;
    slot.stamp += 1;
    slot.ready = false;
    if (message.receiveCount > 0) this.groupOf(message.group).inFlight += 1;
    this.waiting.push({ at, slot, stamp: slot.stamp });
  }

  /**
   * Makes every message whose time has come receivable, in send order within its group. `dead`
   * decides first whether it goes to a dead-letter queue instead (then the caller removes it).
   */
  promote(now: number, dead: (message: M) => boolean): void {
    for (let due = this.nextDue(); due !== undefined && due.at <= now; due = this.nextDue()) {
      this.waiting.pop();
      const { slot } = due;
      if (dead(slot.message)) continue;
      this.leave(slot);
      slot.ready = true;
      const list = slot.message.group === undefined ? this.solo : this.readyList(slot.message.group);
      list.splice(insertionPoint(list, slot.message.order), 0, slot.message);
    }
  }

  /** The next message a fair receive takes: the group with the fewest in flight, ties by send order. */
  next(): M | undefined {
    let best = this.solo[0];
    let bestInFlight = 0;
    for (const group of this.readyGroups) {
      const head = group.ready[0] as M;
      if (
        best === undefined ||
        group.inFlight < bestInFlight ||
        (group.inFlight === bestInFlight && head.order < best.order)
      ) {
        best = head;
        bestInFlight = group.inFlight;
      }
    }
    return best;
  }

  /** When the next waiting message becomes visible; undefined if none waits. */
  nextVisibleAt(): number | undefined {
    return this.nextDue()?.at;
  }

  /** The earliest live heap entry (stale ones are dropped on the way). */
  private nextDue(): Due<M> | undefined {
    for (let top = this.waiting.peek(); top !== undefined; top = this.waiting.peek()) {
      if (this.slots.get(top.slot.message) === top.slot && top.stamp === top.slot.stamp) return top;
      this.waiting.pop();
    }
    return undefined;
  }

  /** Takes the message out of wherever it is counted: its ready list, or its group's in-flight count. */
  private leave(slot: Slot<M>): void {
    const { message } = slot;
    if (!slot.ready) {
      if (message.receiveCount > 0 && message.group !== undefined) this.release(message.group, -1);
      return;
    }
    slot.ready = false;
    const list = message.group === undefined ? this.solo : this.groups.get(message.group)?.ready;
    if (!list) return;
    const at = insertionPoint(list, message.order) - 1;
    if (list[at] === message) list.splice(at, 1);
    if (message.group !== undefined) this.release(message.group, 0);
  }

  private readyList(name: string): M[] {
    const group = this.groupOf(name);
    this.readyGroups.add(group);
    return group.ready;
  }

  /** Adjusts a group's in-flight count and drops the group once it holds nothing. */
  private release(name: string, inFlight: number): void {
    const group = this.groups.get(name);
    if (!group) return;
    group.inFlight += inFlight;
    if (group.ready.length === 0) this.readyGroups.delete(group);
    if (group.ready.length === 0 && group.inFlight === 0) this.groups.delete(name);
  }

  private groupOf(name: string | undefined): Group<M> {
    if (name === undefined) return { ready: [], inFlight: 0 };
    let group = this.groups.get(name);
    if (!group) {
      group = { ready: [], inFlight: 0 };
      this.groups.set(name, group);
    }
    return group;
  }
}

/** The index at which a message of `order` goes into a list sorted by order. */
function insertionPoint<M extends IndexedMessage>(list: M[], order: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as M).order <= order) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.less(a[i] as T, a[parent] as T) >= 0) break;
      [a[i], a[parent]] = [a[parent] as T, a[i] as T];
      i = parent;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && this.less(a[l] as T, a[m] as T) < 0) m = l;
      if (r < a.length && this.less(a[r] as T, a[m] as T) < 0) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m] as T, a[i] as T];
      i = m;
    }
    return top;
  }
}
