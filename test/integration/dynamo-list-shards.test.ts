/**
 * Write-sharded index keys on DynamoDB Local (keys.ts SHARDS, sharded-query.ts): one agent's
 * tasks spread over several GSI1 partitions and one tenant's queued tasks over several GSI5
 * partitions, and ListTasks and the queued count read them back as if there were one. A queued
 * task is listed from GSI5 until it leaves SUBMITTED (README decision 84): the tasks are WORKING
 * unless a test says otherwise, so that they are in GSI1.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { agentListPk, SHARDS, shardOf, taskKey } from '../../adapters/dynamo/keys';
import { statusSortKey } from '../../adapters/shared/list-page-token';
import { TaskState } from '../../core/a2a/task-state';
import type { RequestContext } from '../../core/context';
import type { ListTasksPage, ListTasksQuery, TaskStore } from '../../core/ports/task-store';
import type { TaskRecord } from '../../core/task-record';
import { localDynamoClient, useStoreTable } from '../support/dynamo-client';
import { ctx, newTask, T0, testClock, uniqueId } from '../support/factories';

const tableName = `tasks-${randomUUID()}`;
const raw = localDynamoClient();
const doc = DynamoDBDocumentClient.from(raw);
const clock = testClock();
const newStore = (): DynamoTaskStore => new DynamoTaskStore({ client: doc, tableName, clock });
const store = newStore();

useStoreTable(raw, tableName);

const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** A task id of `tenant` whose list entry lands in GSI1 shard `shard`. */
function idInShard(tenant: string, shard: number): string {
  for (;;) {
    const id = randomUUID();
    if (shardOf(tenant, id, SHARDS.agentList) === shard) return id;
  }
}

interface Seeded {
  me: RequestContext;
  /** newest status first, as ListTasks must return them */
  tasks: TaskRecord[];
}

/** Creates one task per entry: its status minute, and optionally its id and state. */
async function seed(
  entries: { minute: number; id?: string; state?: TaskState }[],
  me = ctx(uniqueId('tenant')),
): Promise<Seeded> {
  const tasks: TaskRecord[] = [];
  for (const e of entries) {
    const input = newTask({
      tenant: me.principal.tenant,
      ...(e.id === undefined ? {} : { id: e.id }),
      createdAt: at(e.minute),
      status: { state: e.state ?? TaskState.Working, timestamp: at(e.minute) },
    });
    const result = await store.create(me, input);
    if (!result.created) throw new Error('test task was not created');
    tasks.push(input.task);
  }
  tasks.sort((a, b) => (statusSortKey(a) < statusSortKey(b) ? 1 : -1));
  return { me, tasks };
}

async function allPages(s: TaskStore, me: RequestContext, query: ListTasksQuery): Promise<ListTasksPage[]> {
  const pages: ListTasksPage[] = [];
  let pageToken: string | undefined;
  do {
    const page = await s.list(me, pageToken === undefined ? query : { ...query, pageToken });
    pages.push(page);
    pageToken = page.nextPageToken === '' ? undefined : page.nextPageToken;
    if (pages.length > 200) throw new Error('paging does not end');
  } while (pageToken !== undefined);
  return pages;
}

const ids = (tasks: readonly TaskRecord[]) => tasks.map((t) => t.id);
const gsi1Shard = (me: RequestContext, id: string) => agentListPk(me.principal.tenant, 'echo', id);

async function indexKeys(me: RequestContext, id: string) {
  const { Item } = await doc.send(
    new GetCommand({ TableName: tableName, Key: taskKey(me.principal.tenant, id), ConsistentRead: true }),
  );
  return { gsi1: String(Item?.GSI1PK), gsi5: Item?.GSI5PK === undefined ? undefined : String(Item.GSI5PK) };
}

describe('sharded list and queue keys on DynamoDB Local', () => {
  it("spreads one agent's list entries over 8 GSI1 keys and a tenant's queued tasks over 4 GSI5 keys", async () => {
    // 96 random ids leave a shard of 8 empty with a probability of about 8 × (7/8)^96 ≈ 2.2e-5,
    // 48 one of 4 with about 4 × (3/4)^48 ≈ 4e-6
    const { me, tasks } = await seed(Array.from({ length: 96 }, (_, i) => ({ minute: i })));
    const queued = await seed(
      Array.from({ length: 48 }, (_, i) => ({ minute: i, state: TaskState.Submitted })),
      me,
    );
    const keys = await Promise.all(tasks.map((t) => indexKeys(me, t.id)));
    const queuedKeys = await Promise.all(queued.tasks.map((t) => indexKeys(me, t.id)));
    const tenant = me.principal.tenant;
    expect(new Set(keys.map((k) => k.gsi1)).size).toBe(8);
    expect(keys.every((k) => k.gsi5 === undefined)).toBe(true);
    expect(new Set(queuedKeys.map((k) => k.gsi5)).size).toBe(4);
    for (const k of keys) expect(k.gsi1).toMatch(new RegExp(`^T#${tenant}#AGENT#echo(#[1-7])?$`));
    for (const k of queuedKeys) expect(k.gsi5).toMatch(new RegExp(`^T#${tenant}#QUEUED(#[1-3])?$`));
    expect(await store.countQueued(me, 1000)).toBe(48);
    expect(await store.countQueued(me, 10)).toBe(10);
    expect(await store.countQueued(me, 47)).toBe(47);
  });

  it('pages across the shards newest first, without duplicates or gaps, at every page size', async () => {
    // ties on the status timestamp (three tasks a minute) are ordered by id, across shards too
    const { me, tasks } = await seed(Array.from({ length: 30 }, (_, i) => ({ minute: Math.floor(i / 3) })));
    expect(new Set(tasks.map((t) => gsi1Shard(me, t.id))).size).toBeGreaterThan(4);
    for (const pageSize of [1, 4, 7, 30, 50]) {
      const pages = await allPages(store, me, { agentId: 'echo', pageSize });
      expect(ids(pages.flatMap((p) => p.tasks))).toEqual(ids(tasks));
      expect(pages.map((p) => p.tasks.length)).toEqual(
        Array.from({ length: Math.ceil(30 / pageSize) }, (_, i) => Math.min(pageSize, 30 - i * pageSize)),
      );
      for (const p of pages) expect(p.totalSize).toBe(30);
    }
  });

  it('fills a page from the one shard that holds all the newest tasks, then resumes the others', async () => {
    const tenant = uniqueId('tenant');
    const me = ctx(tenant);
    const newest = Array.from({ length: 12 }, (_, i) => ({ minute: 100 + i, id: idInShard(tenant, 5) }));
    const older = Array.from({ length: 16 }, (_, i) => ({ minute: i, id: idInShard(tenant, i % 8) }));
    const { tasks } = await seed([...older, ...newest], me);
    const first = await store.list(me, { agentId: 'echo', pageSize: 10 });
    expect(ids(first.tasks)).toEqual(ids(tasks.slice(0, 10)));
    const rest = await allPages(store, me, { agentId: 'echo', pageSize: 10, pageToken: first.nextPageToken });
    expect(ids(rest.flatMap((p) => p.tasks))).toEqual(ids(tasks.slice(10)));
  });

  it('resumes every shard from one page token, in another store instance', async () => {
    const tenant = uniqueId('tenant');
    const me = ctx(tenant);
    const { tasks } = await seed(
      Array.from({ length: 24 }, (_, i) => ({ minute: i, id: idInShard(tenant, (i * 3) % 8) })),
      me,
    );
    const first = await store.list(me, { agentId: 'echo', pageSize: 5 });
    const second = await newStore().list(me, {
      agentId: 'echo',
      pageSize: 8,
      pageToken: first.nextPageToken,
    });
    expect(ids(second.tasks)).toEqual(ids(tasks.slice(5, 13)));
    expect(new Set(second.tasks.map((t) => gsi1Shard(me, t.id))).size).toBe(8);
    expect(second.totalSize).toBe(24);
  });

  it('filters by status and statusTimestampAfter across the shards', async () => {
    const { me, tasks } = await seed(
      Array.from({ length: 40 }, (_, i) => ({
        minute: i,
        state: i % 4 === 0 ? TaskState.Working : TaskState.Submitted,
      })),
    );
    const working = tasks.filter((t) => t.status.state === TaskState.Working);
    const pages = await allPages(store, me, { agentId: 'echo', status: TaskState.Working, pageSize: 3 });
    expect(ids(pages.flatMap((p) => p.tasks))).toEqual(ids(working));
    expect(pages[0]?.totalSize).toBe(10);
    const recent = await allPages(store, me, { agentId: 'echo', statusTimestampAfter: at(25), pageSize: 4 });
    expect(ids(recent.flatMap((p) => p.tasks))).toEqual(ids(tasks.slice(0, 15)));
    expect(recent[0]?.totalSize).toBe(15);
  });

  it('reads entries written under the unsharded keys of a table from before sharding (shard 0)', async () => {
    const tenant = uniqueId('tenant');
    const me = ctx(tenant);
    const { tasks } = await seed(
      Array.from({ length: 6 }, (_, i) => ({ minute: i, id: idInShard(tenant, 1 + (i % 7)) })),
      me,
    );
    const queued = await seed(
      Array.from({ length: 4 }, (_, i) => ({ minute: 10 + i, state: TaskState.Submitted })),
      me,
    );
    const unsharded = async (t: TaskRecord, attr: string, value: string) => {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: taskKey(tenant, t.id),
          UpdateExpression: 'SET #attr = :value',
          ExpressionAttributeNames: { '#attr': attr },
          ExpressionAttributeValues: { ':value': value },
        }),
      );
    };
    for (const t of tasks.slice(0, 3)) await unsharded(t, 'GSI1PK', `T#${tenant}#AGENT#echo`);
    for (const t of queued.tasks) await unsharded(t, 'GSI5PK', `T#${tenant}#QUEUED`);
    const pages = await allPages(store, me, { agentId: 'echo', pageSize: 2 });
    expect(ids(pages.flatMap((p) => p.tasks))).toEqual([...ids(queued.tasks), ...ids(tasks)]);
    expect(await store.countQueued(me, 100)).toBe(4);
  });
});
