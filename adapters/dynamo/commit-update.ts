/**
 * The snapshot update of a commit (commit-task.ts): the event-derived body, version, TTL and the
 * index keys a status change moves.
 */
import { isTerminal } from '../../core/a2a/task-state';
import type { StoredEvent, TaskRecord } from '../../core/task-record';
import { statusSortKey } from '../shared/list-page-token';
import { dueAfterCommit, STALE_SUBMITTED_MS } from '../shared/reconcile-due';
import { escapeKeyPart, queuedPk, reconcilePk, reconcileSk } from './keys';
import { isQueued, taskBody } from './task-items';

/**
 * The event-derived fields (with `pending`, the commit's events, when they are written after it), version, TTL and index sort keys,
 * conditional on the expected version of a live task. Identity and cancelRequested are never
 * written, the lease only removed by the commit that ends the task (its run has nothing left to
 * release); the index partition keys are set once by create (removed for a direct reply).
 */
export function commitUpdate(
  taskId: string,
  next: TaskRecord,
  expectedVersion: number,
  nowSeconds: number,
  opts: { unlessCancelRequested?: boolean | undefined; pending?: readonly StoredEvent[] } = {},
) {
  const sort = statusSortKey({ status: next.status, createdAt: next.createdAt, id: taskId });
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
  if (isTerminal(next.status.state)) {
    names['#lease'] = 'lease';
    remove.push('#lease');
  }
  if (next.expiresAt === undefined) remove.push('#exp');
  else {
    set.push('#exp = :exp');
    values[':exp'] = next.expiresAt;
  }
  names['#g1sk'] = 'GSI1SK';
  names['#g2sk'] = 'GSI2SK';
  reconcileUpdate(taskId, next, nowSeconds * 1000, { set, remove, names, values });
  queuedUpdate(taskId, next, { set, remove, names, values });
  if (next.directReply === undefined) {
    set.push('#g1sk = :sort', '#g2sk = :sort');
    values[':sort'] = sort;
  } else {
    names['#g1pk'] = 'GSI1PK';
    names['#g2pk'] = 'GSI2PK';
    remove.push('#g1pk', '#g1sk', '#g2pk', '#g2sk');
  }
  return {
    UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
    // A commit from a read without hasPush fails once a push config exists (see TaskRecord.hasPush).
    ConditionExpression: `#version = :expected AND (attribute_not_exists(#exp) OR #exp > :now)${
      next.hasPush ? '' : ' AND attribute_not_exists(hasPush)'
    }${opts.unlessCancelRequested === true ? ' AND attribute_not_exists(cancelRequested)' : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** An UpdateExpression's SET and REMOVE clauses and its names and values, built up in parts. */
interface UpdateParts {
  set: string[];
  remove: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * GSI4 part of a commit: in the index while SUBMITTED. Removing absent keys, or setting the same
 * ones again, writes nothing to the index: it costs 1 WRU when a task enters SUBMITTED and 1 when
 * it leaves.
 */
function queuedUpdate(taskId: string, next: TaskRecord, u: UpdateParts): void {
  u.names['#g4pk'] = 'GSI4PK';
  u.names['#g4sk'] = 'GSI4SK';
  if (!isQueued(next)) {
    u.remove.push('#g4pk', '#g4sk');
    return;
  }
  u.set.push('#g4pk = :g4pk', '#g4sk = :g4sk');
  u.values[':g4pk'] = queuedPk(next.tenant, taskId);
  u.values[':g4sk'] = escapeKeyPart(taskId);
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
