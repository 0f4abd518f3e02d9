/**
 * The push dispatcher's one read of a task: its partition sorts `EVT#<seq>` < `PUSH#<id>` <
 * `TASK` (keys.ts), so one strongly consistent Query from `EVT#<afterSeq + 1>` to `TASK` returns
 * the new events, the push configs and the snapshot together, billed as one read of their summed
 * size instead of a GetItem and two Queries. The events are bounded: once `limit` of them have
 * come back and the log goes on, the rest of the log is skipped with a second Query from `PUSH#`
 * (only a task with a long backlog pays it). Items of other kinds in that range are ignored;
 * expired items are skipped, as every read of the store does.
 */
import type { PushDispatchRead } from '../../core/ports/push-config-store';
import type { StoredPushConfig } from '../../core/ports/task-store';
import type { StoredEvent, TaskRecord } from '../../core/task-record';
import { EVENT_PREFIX, eventSk, MAX_SEQ, PUSH_PREFIX, TASK_SK, taskPk } from './keys';
import type { TableAccess } from './table-access';
import { configId, fromEventItem, fromPushItem, fromTaskItem, isExpired } from './task-items';

/** Items beyond the events one Query asks for: the configs (10 by default) and the snapshot. */
const CONFIG_ROOM = 16;

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
  const now = t.clock.now();
  const events: StoredEvent[] = [];
  const configs: StoredPushConfig[] = [];
  let task: TaskRecord | undefined;
  let lower = from > MAX_SEQ || wanted === 0 ? PUSH_PREFIX : eventSk(from);
  let start: Record<string, unknown> | undefined;
  for (;;) {
    const out = await t.query({
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk, ':from': lower, ':to': TASK_SK },
      Limit: wanted - events.length + CONFIG_ROOM,
      ExclusiveStartKey: start,
    });
    let lastSk = '';
    for (const item of out.Items ?? []) {
      lastSk = String(item.SK);
      if (isExpired(item, now)) continue;
      if (lastSk.startsWith(EVENT_PREFIX)) {
        if (events.length < wanted) events.push(fromEventItem(item));
      } else if (lastSk.startsWith(PUSH_PREFIX)) configs.push(fromPushItem(item));
      else if (lastSk === TASK_SK) task = fromTaskItem(item);
    }
    start = out.LastEvaluatedKey;
    if (start === undefined) break;
    // A page that ends inside a log longer than `limit`: skip the rest of the log.
    if (lastSk.startsWith(EVENT_PREFIX) && events.length >= wanted) {
      lower = PUSH_PREFIX;
      start = undefined;
    }
  }
  if (task === undefined) return undefined;
  return { task, configs: configs.sort(byConfigId), events };
}

const byConfigId = (a: StoredPushConfig, b: StoredPushConfig): number =>
  configId(a) < configId(b) ? -1 : configId(a) > configId(b) ? 1 : 0;
