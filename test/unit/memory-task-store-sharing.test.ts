/**
 * The memory store hands out what it holds instead of copying it on every read: its records and
 * events are deep-frozen, and a commit's record shares the parts it did not change. (That callers
 * and the store stay apart is the contract suite's "what callers hold".)
 */
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { MemoryTaskStore } from '../../adapters/memory/memory-task-store';
import { TaskState } from '../../core/a2a/task-state';
import { isoAt } from '../../core/ports/clock';
import { applyEvents, type TaskRecord } from '../../core/task-record';
import { ctx, newTask, testClock, textArtifact } from '../support/factories';

setFlagsFromString('--allow-natives-syntax');
/** V8's own answer: do two objects have the same hidden class (map)? */
const sameHiddenClass = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (
  a: object,
  b: object,
) => boolean;

async function storeWithTask() {
  const clock = testClock();
  const store = new MemoryTaskStore(clock);
  const me = ctx('tenant-a');
  const input = newTask({ tenant: 'tenant-a' });
  await store.create(me, input);
  return { store, me, clock, id: input.task.id, input };
}

describe('MemoryTaskStore: shared, frozen records', () => {
  it('hands out the stored record and events without copying them', async () => {
    const { store, me, id } = await storeWithTask();
    const first = await store.get(me, id);
    expect(await store.get(me, id)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first?.history[0]?.parts)).toBe(true);
    const [event] = await store.readEvents(me, id, 0);
    expect((await store.readEvents(me, id, 0))[0]).toBe(event);
    expect(Object.isFrozen(event?.event)).toBe(true);
  });

  it('keeps the parts a commit did not change and copies only the new ones', async () => {
    const { store, me, clock, id } = await storeWithTask();
    const before = (await store.get(me, id)) as TaskRecord;
    const artifact = textArtifact('a');
    const { next, stored } = applyEvents(
      before,
      [
        { kind: 'status', status: { state: TaskState.Working } },
        { kind: 'artifact', artifact },
      ],
      isoAt(clock.now()),
    );
    const committed = await store.commit(me, { taskId: id, expectedVersion: 1, next, events: stored });
    const after = (await store.get(me, id)) as TaskRecord;
    expect(after.history[0]).toBe(before.history[0]);
    expect(committed.history[0]).toBe(before.history[0]);
    expect(after.artifacts[0]).toEqual(artifact);
    expect(after.artifacts[0]).not.toBe(artifact);
    expect(Object.isFrozen(artifact)).toBe(false);
  });

  it('holds an object that the record and an event both name once', async () => {
    const { store, me, id } = await storeWithTask();
    const record = await store.get(me, id);
    const [event] = await store.readEvents(me, id, 0);
    if (event?.event.kind !== 'status') throw new Error('the first event is a status');
    expect(event.event.history?.[0]).toBe(record?.history[0]);
  });

  it('does not freeze the objects a caller passed in', async () => {
    const { input } = await storeWithTask();
    expect(Object.isFrozen(input.task)).toBe(false);
    expect(Object.isFrozen(input.message)).toBe(false);
    expect(Object.isFrozen(input.events[0])).toBe(false);
  });

  it('gives records with the same fields one hidden class, after records of many shapes', async () => {
    // V8 gave a spread over records of many shapes (a megamorphic site) a new hidden class each
    // time: every stored record held its own map and descriptor array, ~0.5 KB, and missed every
    // inline cache that read it.
    const clock = testClock();
    const store = new MemoryTaskStore(clock);
    const me = ctx('tenant-a');
    const extras: Partial<TaskRecord>[] = [
      { metadata: { a: 1 } },
      { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      { expiresAt: 2_000_000_000 },
      { submitter: { subject: 'bob', scopes: [] } },
      { metadata: { b: 2 }, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      {},
      {},
    ];
    const lived: TaskRecord[][] = [];
    for (const extra of extras) {
      const input = newTask({ tenant: 'tenant-a', ...extra });
      const id = input.task.id;
      await store.create(me, input);
      const lease = { owner: 'worker-1', until: clock.now() + 60_000 };
      const claimed = (await store.acquireLease(me, { taskId: id, lease, now: clock.now() })) as TaskRecord;
      const working = applyEvents(
        claimed,
        [{ kind: 'status', status: { state: TaskState.Working } }],
        isoAt(clock.now()),
      );
      await store.commit(me, { taskId: id, expectedVersion: 1, next: working.next, events: working.stored });
      await store.requestCancel(me, id);
      const leased = (await store.get(me, id)) as TaskRecord;
      const done = applyEvents(
        leased,
        [{ kind: 'status', status: { state: TaskState.Completed } }],
        isoAt(clock.now()),
      );
      await store.commit(me, { taskId: id, expectedVersion: 2, next: done.next, events: done.stored });
      lived.push([claimed, leased, (await store.get(me, id)) as TaskRecord]);
    }
    const [a, b] = lived.slice(-2) as [TaskRecord[], TaskRecord[]];
    a.forEach((record, step) =>
      expect(sameHiddenClass(record, b[step] as TaskRecord), `step ${step}`).toBe(true),
    );
  });
});
