/**
 * The snapshot update of a commit (commit-task.ts): the event-derived body, version, TTL and the
 * index keys a status change moves.
 */
import { isTerminal } from '../../core/a2a/task-state';
import type { StoredEvent, TaskRecord } from '../../core/task-record';
import { dueAfterCommit, STALE_SUBMITTED_MS } from '../shared/reconcile-due';
import { reconcilePk, reconcileSk } from './keys';
import { isQueued, STATUS_LIST_KEYS, statusListKeys, taskBody } from './task-items';

/**
 * The event-derived fields (with `pending`, the commit's events, when they are written after it), version, TTL and index sort keys,
 * conditional on the expected version of a live task. Identity and cancelRequested are never
 * written, the lease only removed by the commit that ends the task (its run has nothing left to
 * release); the list indexes' keys follow the status (listUpdate).
 */
export function commitUpdate(
  taskId: string,
  next: TaskRecord,
  expectedVersion: number,
  nowSeconds: number,
  opts: { unlessCancelRequested?: boolean | undefined; pending?: readonly StoredEvent[] } = {},
) {
  const set = ['#body = :body', '#state = :state', '#version = :version'];
  const remove: string[] = [];
  const names: Record<string, string> = {
    '#body': 'body',
    '#state': 'state',
    '#version': 'version',
    '#exp': 'expiresAt',
  };
  const values: Record<string, unknown> = {
    ':body': taskBody(next, opts.pending),
    ':state': next.status.state,
    ':version': next.version,
    ':expected': expectedVersion,
    ':now': nowSeconds,
  };
  // A commit from a read without hasPush fails once a push config exists (see TaskRecord.hasPush).
  const conditions = ['#version = :expected', '(attribute_not_exists(#exp) OR #exp > :now)'];
  if (!next.hasPush) conditions.push('attribute_not_exists(hasPush)');
  if (opts.unlessCancelRequested === true) conditions.push('attribute_not_exists(cancelRequested)');
  if (isTerminal(next.status.state)) {
    names['#lease'] = 'lease';
    remove.push('#lease');
  }
  if (next.expiresAt === undefined) remove.push('#exp');
  else {
    set.push('#exp = :exp');
    values[':exp'] = next.expiresAt;
  }
  const parts = { set, remove, names, values, conditions };
  reconcileUpdate(taskId, next, nowSeconds * 1000, parts);
  listUpdate(taskId, next, parts);
  return {
    UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** An UpdateExpression's SET and REMOVE clauses, its conditions, names and values, built up in parts. */
interface UpdateParts {
  set: string[];
  remove: string[];
  conditions: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * The list indexes' part of a commit (README decision 84): while SUBMITTED a task is in GSI5
 * (listed and counted as queued), after it in GSI1 and GSI2 (listed by agent and by context). A
 * direct reply is in none. GSI1PK and GSI2PK are written by the create, from the task's identity,
 * and a commit never sets them (a commit's record cannot move its task to another agent's list):
 * an index holds an item only while it has both keys, so the commit enters or leaves GSI1 and
 * GSI2 with their sort keys alone. Removing absent keys, or setting one to the value it has,
 * writes nothing to an index: leaving GSI5 and entering GSI1 and GSI2 costs 1 WRU in each, and a
 * later status change moves the sort key of GSI1 and GSI2 (a delete and a put in each).
 */
function listUpdate(taskId: string, next: TaskRecord, u: UpdateParts): void {
  const name = (attr: string): string => {
    u.names[`#${attr}`] = attr;
    return `#${attr}`;
  };
  const remove = (attrs: readonly string[]): void => {
    for (const attr of attrs) u.remove.push(name(attr));
  };
  if (next.directReply !== undefined) {
    remove(['GSI1PK', 'GSI2PK', ...STATUS_LIST_KEYS]);
    return;
  }
  const keys = statusListKeys(next.tenant, taskId, next);
  for (const [attr, value] of Object.entries(keys)) {
    u.set.push(`${name(attr)} = :${attr}`);
    u.values[`:${attr}`] = value;
  }
  remove(STATUS_LIST_KEYS.filter((attr) => keys[attr] === undefined));
  if (isQueued(next)) {
    // GSI5's sort key names the agent, from the commit's record: one that names another agent
    // than the task's is refused (a follow-up message queues a task again), not listed there.
    u.conditions.push(`${name('agentId')} = :agentId`);
    u.values[':agentId'] = next.agentId;
  }
}

/** GSI3 (reconciler index) part of a commit: see adapters/shared/reconcile-due.ts. */
function reconcileUpdate(taskId: string, next: TaskRecord, nowMs: number, u: UpdateParts): void {
  u.names['#g3pk'] = 'GSI3PK';
  u.names['#g3sk'] = 'GSI3SK';
  const due = next.directReply === undefined ? dueAfterCommit(next.status.state, nowMs) : undefined;
  if (due === undefined) {
    u.remove.push('#g3pk', '#g3sk');
    return;
  }
  u.set.push('#g3pk = :g3pk');
  u.values[':g3pk'] = reconcilePk(next.tenant, taskId);
  if (due === 'keep') {
    u.set.push('#g3sk = if_not_exists(#g3sk, :g3sk)');
    u.values[':g3sk'] = reconcileSk(nowMs + STALE_SUBMITTED_MS, next.tenant, taskId);
  } else {
    u.set.push('#g3sk = :g3sk');
    u.values[':g3sk'] = reconcileSk(due, next.tenant, taskId);
  }
}
