/**
 * The memory store keeps at most `maxFinishedTasks` finished tasks: the one that finished first
 * goes first, with its events, push configs (cursor included), idempotency records and, through
 * onEvict, its checkpoints; tasks that have not finished are never evicted.
 */
import { describe, expect, it } from 'vitest';
import { MemoryCheckpointData } from '../../adapters/memory/memory-checkpoint-data';
import { MemoryCheckpointer } from '../../adapters/memory/memory-checkpointer';
import { MemoryTaskStore } from '../../adapters/memory/memory-task-store';
import { TaskState } from '../../core/a2a/task-state';
import { TaskNotFoundError } from '../../core/errors';
import { applyEvents } from '../../core/task-record';
import { getTask } from '../../core/use-cases/get-task';
import { listTasks } from '../../core/use-cases/list-tasks';
import { ctx, newTask, pushConfig, testClock } from '../support/factories';

const me = ctx('tenant-evict', 'alice');

function storeWithCap(cap: number) {
  const clock = testClock();
  const evicted: string[] = [];
  const checkpoints = new MemoryCheckpointData();
  const store = new MemoryTaskStore(clock, {
    maxFinishedTasks: cap,
    onEvict: (tenant, taskId) => {
      evicted.push(taskId);
      checkpoints.dropThread(tenant, taskId);
    },
  });
  return { store, clock, evicted, checkpoints };
}

async function create(store: MemoryTaskStore, withPush = false): Promise<string> {
  const input = newTask({ tenant: me.principal.tenant });
  const id = input.task.id;
  await store.create(me, {
    ...input,
    task: { ...input.task, hasPush: withPush },
    ...(withPush ? { pushConfigs: [pushConfig(id, { id: 'cfg' })] } : {}),
  });
  return id;
}

async function moveTo(store: MemoryTaskStore, taskId: string, state: TaskState, idempotencyKey?: string) {
  const current = await store.get(me, taskId);
  if (!current) throw new Error(`task ${taskId} missing`);
  const { next, stored } = applyEvents(
    current,
    [{ kind: 'status', status: { state } }],
    new Date().toISOString(),
  );
  await store.commit(me, {
    taskId,
    expectedVersion: current.version,
    next,
    events: stored,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
}

describe('MemoryTaskStore with maxFinishedTasks', () => {
  it('evicts the task that finished first, not the one created first', async () => {
    const { store, evicted } = storeWithCap(2);
    const [a, b, c] = [await create(store), await create(store), await create(store)];
    await moveTo(store, b, TaskState.Completed);
    await moveTo(store, a, TaskState.Failed);
    expect(evicted).toEqual([]);
    await moveTo(store, c, TaskState.Canceled);
    expect(evicted).toEqual([b]);
    expect(await store.get(me, b)).toBeUndefined();
    expect((await store.get(me, a))?.status.state).toBe(TaskState.Failed);
    expect((await store.get(me, c))?.status.state).toBe(TaskState.Canceled);
  });

  it('evicts everything of the task: events, push configs with their cursor, idempotency records, checkpoints', async () => {
    const { store, checkpoints } = storeWithCap(1);
    const input = newTask({ tenant: me.principal.tenant });
    const old = input.task.id;
    await store.create(me, {
      ...input,
      task: { ...input.task, hasPush: true },
      pushConfigs: [pushConfig(old, { id: 'cfg' })],
    });
    const config = await store.getPushConfig(me, old, 'cfg');
    if (!config) throw new Error('config missing');
    await store.updatePushDelivery(
      me,
      old,
      { ...config, delivery: { lastDeliveredSeq: 1, consecutiveFailures: 0 } },
      0,
    );
    await moveTo(store, old, TaskState.InputRequired);
    await moveTo(store, old, TaskState.Completed, 'second-turn-message');
    const saver = new MemoryCheckpointer({
      data: checkpoints,
      tenant: me.principal.tenant,
      ttlSeconds: 3600,
    });
    await saver.put(
      { configurable: { thread_id: old, checkpoint_ns: '' } },
      {
        v: 1,
        id: 'ck-1',
        ts: new Date().toISOString(),
        channel_values: {},
        channel_versions: {},
        versions_seen: {},
      },
      { source: 'loop', step: 0, parents: {} },
      {},
    );
    expect(await saver.getTuple({ configurable: { thread_id: old, checkpoint_ns: '' } })).toBeDefined();

    await moveTo(store, await create(store), TaskState.Completed);

    expect(await store.get(me, old)).toBeUndefined();
    expect(await store.readEvents(me, old, 0)).toEqual([]);
    expect(await store.getPushConfig(me, old, 'cfg')).toBeUndefined();
    expect(await store.listPushConfigs(me, old)).toEqual([]);
    expect(await store.findByMessageId(me, input.idempotencyKey)).toBeUndefined();
    expect(await store.findByMessageId(me, 'second-turn-message')).toBeUndefined();
    expect(await saver.getTuple({ configurable: { thread_id: old, checkpoint_ns: '' } })).toBeUndefined();
    // A retried send of the first message is new work now, as after the record expired.
    const again = await store.create(me, {
      ...newTask({ tenant: me.principal.tenant }),
      idempotencyKey: input.idempotencyKey,
    });
    expect(again.created).toBe(true);
  });

  it('never evicts tasks that have not finished, however many there are', async () => {
    const { store, evicted } = storeWithCap(1);
    const open = [await create(store), await create(store), await create(store)];
    await moveTo(store, open[1] as string, TaskState.Working);
    await moveTo(store, open[2] as string, TaskState.InputRequired);
    const done = [await create(store), await create(store)];
    for (const id of done) await moveTo(store, id, TaskState.Completed);
    expect(evicted).toEqual([done[0]]);
    for (const id of open) expect(await store.get(me, id)).toBeDefined();
    expect(store.size).toBe(4);
  });

  it('answers GetTask with TaskNotFound and leaves the task out of ListTasks once it is evicted', async () => {
    const { store } = storeWithCap(1);
    const gone = await create(store);
    const kept = await create(store);
    await moveTo(store, gone, TaskState.Completed);
    await moveTo(store, kept, TaskState.Completed);
    const scope = { agentId: 'echo' };
    await expect(getTask({ store }, me, scope, { id: gone })).rejects.toBeInstanceOf(TaskNotFoundError);
    await expect(getTask({ store }, me, scope, { id: kept })).resolves.toMatchObject({ id: kept });
    const settings = {
      blockingTimeoutMs: 0,
      cancelWaitMs: 0,
      retentionSeconds: 3600,
      pushNotifications: true,
    };
    const page = await listTasks({ store, settings }, me, scope, {});
    expect(page.tasks.map((t) => t.id)).toEqual([kept]);
    expect(page.totalSize).toBe(1);
  });
});
