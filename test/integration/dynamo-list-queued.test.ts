/**
 * ListTasks over queued tasks on DynamoDB Local (README decision 84): a SUBMITTED task is in
 * GSI5 (the tenant's queued tasks) and not yet in GSI1 or GSI2, so a list merges the tenant's
 * GSI5 shards, filtered on the agent (and context), with the agent's or the context's partitions.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { queuedPk, queuedSk, taskKey } from '../../adapters/dynamo/keys';
import { statusSortKey } from '../../adapters/shared/list-page-token';
import { TaskState } from '../../core/a2a/task-state';
import type { RequestContext } from '../../core/context';
import { VersionConflictError } from '../../core/errors';
import type { ListTasksQuery } from '../../core/ports/task-store';
import { applyEvents, type TaskRecord } from '../../core/task-record';
import { localDynamoClient, useStoreTable } from '../support/dynamo-client';
import { ctx, newTask, T0, testClock, uniqueId } from '../support/factories';

const tableName = `tasks-${randomUUID()}`;
const raw = localDynamoClient();
const doc = DynamoDBDocumentClient.from(raw);
const store = new DynamoTaskStore({ client: doc, tableName, clock: testClock() });

useStoreTable(raw, tableName);

/** The task's snapshot item as the table holds it now. */
async function snapshotItem(me: RequestContext, taskId: string) {
  const key = taskKey(me.principal.tenant, taskId);
  return (await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
}

const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

async function create(
  me: RequestContext,
  minute: number,
  state: TaskState,
  more: Partial<TaskRecord> = {},
): Promise<TaskRecord> {
  const input = newTask({
    tenant: me.principal.tenant,
    createdAt: at(minute),
    status: { state, timestamp: at(minute) },
    ...more,
  });
  if (!(await store.create(me, input)).created) throw new Error('test task was not created');
  return input.task;
}

/** Every task of a query, page by page, and the totalSize of the first page. */
async function listAll(me: RequestContext, query: ListTasksQuery): Promise<{ ids: string[]; total: number }> {
  const ids: string[] = [];
  let total = -1;
  let pageToken: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await store.list(me, pageToken === undefined ? query : { ...query, pageToken });
    if (total < 0) total = page.totalSize;
    ids.push(...page.tasks.map((t) => t.id));
    if (page.nextPageToken === '') return { ids, total };
    pageToken = page.nextPageToken;
  }
  throw new Error('paging does not end');
}

const newestFirst = (tasks: readonly TaskRecord[]): string[] =>
  [...tasks].sort((a, b) => (statusSortKey(a) < statusSortKey(b) ? 1 : -1)).map((t) => t.id);

describe('queued tasks in ListTasks on DynamoDB Local', () => {
  it("lists an agent's queued tasks among its others, newest status first, and counts them", async () => {
    const me = ctx(uniqueId('tenant'));
    const states = [TaskState.Submitted, TaskState.Working, TaskState.Completed];
    const mine: TaskRecord[] = [];
    for (let i = 0; i < 24; i++) mine.push(await create(me, i, states[i % 3] ?? TaskState.Submitted));
    // the tenant's queued task of another agent is in the same GSI5 partitions
    await create(me, 30, TaskState.Submitted, { agentId: 'other' });
    for (const pageSize of [1, 5, 24, 30]) {
      expect(await listAll(me, { agentId: 'echo', pageSize })).toEqual({ ids: newestFirst(mine), total: 24 });
    }
    const queued = mine.filter((t) => t.status.state === TaskState.Submitted);
    expect(await listAll(me, { agentId: 'echo', status: TaskState.Submitted, pageSize: 3 })).toEqual({
      ids: newestFirst(queued),
      total: 8,
    });
    const working = mine.filter((t) => t.status.state === TaskState.Working);
    expect(await listAll(me, { agentId: 'echo', status: TaskState.Working, pageSize: 3 })).toEqual({
      ids: newestFirst(working),
      total: 8,
    });
    expect(await listAll(me, { agentId: 'echo', statusTimestampAfter: at(18), pageSize: 4 })).toEqual({
      ids: newestFirst(mine.slice(18)),
      total: 6,
    });
    expect(await listAll(me, { agentId: 'other', pageSize: 10 })).toMatchObject({ total: 1 });
    expect(await listAll(ctx(uniqueId('tenant')), { agentId: 'echo', pageSize: 10 })).toEqual({
      ids: [],
      total: 0,
    });
  });

  it("lists a context's queued tasks of this agent only", async () => {
    const me = ctx(uniqueId('tenant'));
    const contextId = uniqueId('ctx');
    const inContext = [
      await create(me, 1, TaskState.Submitted, { contextId }),
      await create(me, 2, TaskState.Working, { contextId }),
      await create(me, 3, TaskState.Submitted, { contextId }),
    ];
    await create(me, 4, TaskState.Submitted, { contextId, agentId: 'other' });
    await create(me, 5, TaskState.Submitted, { contextId: uniqueId('ctx') });
    expect(await listAll(me, { agentId: 'echo', contextId, pageSize: 2 })).toEqual({
      ids: newestFirst(inContext),
      total: 3,
    });
  });

  it('moves a task from GSI5 to GSI1 and GSI2 when it leaves SUBMITTED, and lists it once', async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await create(me, 1, TaskState.Submitted);
    const other = await create(me, 2, TaskState.Working);
    const { next, stored } = applyEvents(
      task,
      [{ kind: 'status', status: { state: TaskState.Working, timestamp: at(3) } }],
      at(3),
    );
    await store.commit(me, { taskId: task.id, expectedVersion: 1, next, events: stored });
    const Item = await snapshotItem(me, task.id);
    expect(Item?.GSI5PK).toBeUndefined();
    expect(Item?.GSI5SK).toBeUndefined();
    expect(Item?.GSI1SK).toBe(statusSortKey(next));
    expect(Item?.GSI2SK).toBe(statusSortKey(next));
    expect(await listAll(me, { agentId: 'echo', pageSize: 10 })).toEqual({
      ids: [task.id, other.id],
      total: 2,
    });
    expect(await store.countQueued(me, 10)).toBe(0);
    // a commit of a release before decision 84 did not know GSI5 and left its entry behind: that
    // entry is neither listed nor counted
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: taskKey(me.principal.tenant, task.id),
        UpdateExpression: 'SET GSI5PK = :pk, GSI5SK = :sk',
        ExpressionAttributeValues: {
          ':pk': queuedPk(me.principal.tenant, task.id),
          ':sk': queuedSk('echo', statusSortKey(task)),
        },
      }),
    );
    expect(await listAll(me, { agentId: 'echo', pageSize: 10 })).toEqual({
      ids: [task.id, other.id],
      total: 2,
    });
    expect((await listAll(me, { agentId: 'echo', pageSize: 1 })).ids).toEqual([task.id, other.id]);
    expect(await store.countQueued(me, 10)).toBe(0);
  });

  it('moves a task a follow-up queues again from GSI1 and GSI2 back to GSI5, and lists it once', async () => {
    const me = ctx(uniqueId('tenant'));
    const contextId = uniqueId('ctx');
    const task = await create(me, 1, TaskState.InputRequired, { contextId });
    const { next, stored } = applyEvents(
      task,
      [{ kind: 'status', status: { state: TaskState.Submitted, timestamp: at(2) } }],
      at(2),
    );
    // a record that names another agent would put the queued entry in that agent's range: refused
    await expect(
      store.commit(me, {
        taskId: task.id,
        expectedVersion: 1,
        next: { ...next, agentId: 'other' },
        events: stored,
      }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    await store.commit(me, { taskId: task.id, expectedVersion: 1, next, events: stored });
    const Item = await snapshotItem(me, task.id);
    expect(Item?.GSI1SK).toBeUndefined();
    expect(Item?.GSI2SK).toBeUndefined();
    expect(Item?.GSI5SK).toBe(queuedSk('echo', statusSortKey(next)));
    expect(await listAll(me, { agentId: 'echo', pageSize: 10 })).toEqual({ ids: [task.id], total: 1 });
    expect(await listAll(me, { agentId: 'echo', contextId, pageSize: 10 })).toEqual({
      ids: [task.id],
      total: 1,
    });
    expect(await listAll(me, { agentId: 'other', pageSize: 10 })).toEqual({ ids: [], total: 0 });
    expect(await store.countQueued(me, 10)).toBe(1);
  });

  it("lists a queued task once that an earlier release's commit put back in GSI1 as well", async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await create(me, 1, TaskState.Submitted);
    // an earlier release's commit back to SUBMITTED sets GSI1SK and GSI2SK and leaves GSI5's keys alone
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: taskKey(me.principal.tenant, task.id),
        UpdateExpression: 'SET GSI1SK = :sk, GSI2SK = :sk',
        ExpressionAttributeValues: { ':sk': `${at(3)}#${task.id}` },
      }),
    );
    for (const pageSize of [1, 10]) {
      expect((await listAll(me, { agentId: 'echo', pageSize })).ids).toEqual([task.id]);
    }
  });
});
