/**
 * The reads of a task's log. A partition sorts `EVT#<seq>` < `PUSH#<id>` < `TASK` (keys.ts), so
 * one strongly consistent Query from `EVT#<afterSeq + 1>` to `TASK` returns the new events, the
 * push configs and the snapshot together, billed as one read of their summed size instead of a
 * GetItem and two Queries. The events are bounded: once `limit` of them have come back and the
 * log goes on, the rest of the log is skipped with a second Query from `PUSH#` (only a task with
 * a long backlog pays it). Items of other kinds in that range are ignored; expired items are
 * skipped, as every read of the store does.
 *
 * The log's tail can lag the snapshot: a commit writes the snapshot first, with its events as
 * `pending`, and then the events (commit-task.ts). A read completes the log from the snapshot it
 * read after the events, so it returns every event up to the snapshot's version, gapless.
 */
import type { PushDispatchRead } from '../../core/ports/push-config-store';
import type { StoredPushConfig } from '../../core/ports/task-store';
import type { StoredEvent, TaskRecord } from '../../core/task-record';
import { EVENT_PREFIX, eventSk, MAX_SEQ, PUSH_PREFIX, TASK_SK, taskPk } from './keys';
import type { TableAccess } from './table-access';
import { configId, fromEventItem, fromPushItem, isExpired, readTaskItem } from './task-items';

/** Items beyond the events one Query asks for: the configs (10 by default) and the snapshot. */
const CONFIG_ROOM = 16;

interface Tail {
  task?: TaskRecord;
  pending: StoredEvent[];
  configs: StoredPushConfig[];
  /** as the log holds them: ascending, possibly short of the snapshot's pending events */
  events: StoredEvent[];
}

/** The task's push dispatch read: the task, its configs and its events after `afterSeq`. */
export async function readForDispatch(
  t: TableAccess,
  tenant: string,
  taskId: string,
  afterSeq: number | undefined,
  limit: number,
): Promise<PushDispatchRead | undefined> {
  const pk = taskPk(tenant, taskId);
  const from = afterSeq === undefined ? MAX_SEQ + 1 : Math.max(0, Math.floor(afterSeq)) + 1;
  const wanted = Math.max(0, Math.floor(limit));
  const tail = await queryTail(t, pk, from, wanted);
  if (tail.task === undefined) return undefined;
  const events = from > MAX_SEQ || wanted === 0 ? [] : await completeLog(t, pk, tail, from, wanted);
  return { task: tail.task, configs: tail.configs.sort(byConfigId), events };
}

/** The task's events after `afterSeq`, ascending, at most `limit`. */
export async function readEvents(
  t: TableAccess,
  tenant: string,
  taskId: string,
  afterSeq: number,
  limit: number,
): Promise<StoredEvent[]> {
  const from = Math.max(0, Math.floor(afterSeq)) + 1;
  if (limit < 1 || from > MAX_SEQ) return [];
  const pk = taskPk(tenant, taskId);
  const wanted = Math.floor(limit);
  const tail = await queryTail(t, pk, from, wanted, true);
  if (isRun(tail.events, from, wanted)) return tail.events;
  // no snapshot (never created, or expired): the log as it stands
  return tail.task === undefined ? tail.events : completeLog(t, pk, tail, from, wanted);
}

/** `wanted` events from `from`, without a gap: nothing to complete. */
const isRun = (events: readonly StoredEvent[], from: number, wanted: number): boolean =>
  events.length === wanted && events.every((e, i) => e.seq === from + i);

/**
 * `eventsOnly` (a read of the log alone): the configs are not parsed, and the read stops before
 * the snapshot once `wanted` events came back in a run.
 */
async function queryTail(
  t: TableAccess,
  pk: string,
  from: number,
  wanted: number,
  eventsOnly = false,
): Promise<Tail> {
  const now = t.clock.now();
  const tail: Tail = { pending: [], configs: [], events: [] };
  let lower = from > MAX_SEQ || wanted === 0 ? PUSH_PREFIX : eventSk(from);
  let start: Record<string, unknown> | undefined;
  for (;;) {
    const out = await t.query({
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk, ':from': lower, ':to': TASK_SK },
      Limit: wanted - tail.events.length + CONFIG_ROOM,
      ExclusiveStartKey: start,
    });
    let lastSk = '';
    for (const item of out.Items ?? []) {
      lastSk = String(item.SK);
      if (isExpired(item, now)) continue;
      if (lastSk.startsWith(EVENT_PREFIX)) {
        if (tail.events.length < wanted) tail.events.push(fromEventItem(item));
      } else if (lastSk.startsWith(PUSH_PREFIX)) {
        if (!eventsOnly) tail.configs.push(fromPushItem(item));
      } else if (lastSk === TASK_SK) ({ record: tail.task, pending: tail.pending } = readTaskItem(item));
    }
    start = out.LastEvaluatedKey;
    if (start === undefined) return tail;
    // A page that ends inside a log longer than `limit`: skip the rest of the log.
    if (lastSk.startsWith(EVENT_PREFIX) && tail.events.length >= wanted) {
      if (eventsOnly && isRun(tail.events, from, wanted)) return tail;
      lower = PUSH_PREFIX;
      start = undefined;
    }
  }
}

/**
 * The log from `from` up to the snapshot's version, from the items and the snapshot's pending
 * events. A gap below the pending events means a commit replaced them after the events were read,
 * and it wrote the ones it replaced before it did (commit-task.ts): a second read finds them.
 */
async function completeLog(
  t: TableAccess,
  pk: string,
  tail: Tail,
  from: number,
  limit: number,
): Promise<StoredEvent[]> {
  const head = tail.task?.version ?? 0;
  const first = fillRun(tail.events, tail.pending, from, head, limit);
  if (first.missing === undefined) return first.events;
  const again = await queryEvents(t, pk, first.missing, limit - first.events.length);
  const rest = fillRun(again, tail.pending, first.missing, head, limit - first.events.length);
  if (rest.missing !== undefined) {
    // Only a broken invariant gets here (an older release's commit replaced pending events it
    // never wrote, say): the log stops at the gap, and a stream waits there.
    t.logger.error(
      { pk, seq: rest.missing, version: head },
      'task log has a gap its snapshot does not cover: events after it are not returned',
    );
  }
  return [...first.events, ...rest.events];
}

/** The gapless run of events from `from` to `head` (at most `limit`); where it stopped short. */
export function fillRun(
  found: readonly StoredEvent[],
  pending: readonly StoredEvent[],
  from: number,
  head: number,
  limit: number,
): { events: StoredEvent[]; missing?: number } {
  const bySeq = new Map<number, StoredEvent>();
  for (const e of pending) bySeq.set(e.seq, e);
  for (const e of found) bySeq.set(e.seq, e);
  const events: StoredEvent[] = [];
  for (let seq = from; seq <= head && events.length < limit; seq++) {
    const event = bySeq.get(seq);
    if (event === undefined) return { events, missing: seq };
    events.push(event);
  }
  return { events };
}

/** Up to `limit` events of the log from `from` (items only). */
export async function queryEvents(
  t: TableAccess,
  pk: string,
  from: number,
  limit: number,
): Promise<StoredEvent[]> {
  const now = t.clock.now();
  const events: StoredEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await t.query({
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk, ':from': eventSk(from), ':to': eventSk(MAX_SEQ) },
      Limit: limit - events.length,
      ExclusiveStartKey: start,
    });
    for (const item of out.Items ?? []) if (!isExpired(item, now)) events.push(fromEventItem(item));
    start = out.LastEvaluatedKey;
  } while (start !== undefined && events.length < limit);
  return events;
}

const byConfigId = (a: StoredPushConfig, b: StoredPushConfig): number =>
  configId(a) < configId(b) ? -1 : configId(a) > configId(b) ? 1 : 0;
