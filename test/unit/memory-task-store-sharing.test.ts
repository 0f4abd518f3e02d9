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
import { ctx, newTask, pushConfig, testClock, textArtifact, userMessage } from '../support/factories';

setFlagsFromString('--allow-natives-syntax');
/** V8's own answer: do two objects have the same hidden class (map)? */
const sameHiddenClass = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (
  a: object,
  b: object,
) => boolean;
/** …and are its properties in fast mode (not a dictionary)? */
const fastProperties = new Function('a', 'return %HasFastProperties(a)') as (a: object) => boolean;

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
    // V8 gave the commit's rest-and-spread over records of many shapes (a megamorphic site) a new
    // hidden class each time: every stored record held its own map and descriptor array, ~0.5 KB,
    // and missed every inline cache that read it.
    const clock = testClock();
    const store = new MemoryTaskStore(clock);
    const me = ctx('tenant-a');
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const extras: Partial<TaskRecord>[] = [
      { metadata: { a: 1 } },
      { traceparent },
      { expiresAt: 2_000_000_000 },
      { submitter: { subject: 'bob', scopes: [] } },
      { metadata: { b: 2 }, traceparent },
      {},
      {},
    ];
    const lived: TaskRecord[][] = [];
    for (const extra of extras) lived.push(await lifecycle(store, me, clock, extra));
    const [a, b] = lived.slice(-2) as [TaskRecord[], TaskRecord[]];
    a.forEach((record, step) => {
      expect(sameHiddenClass(record, b[step] as TaskRecord), `step ${step}`).toBe(true);
      expect(fastProperties(record), `step ${step}`).toBe(true);
    });
  });

  it('keeps a record with every optional field out of dictionary mode', async () => {
    // An object filled key by key becomes a dictionary at its 20th field.
    const clock = testClock();
    const store = new MemoryTaskStore(clock);
    const me = ctx('tenant-a');
    const every: Partial<TaskRecord> = {
      metadata: { a: 1 },
      directReply: userMessage('direct'),
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      submitter: { subject: 'bob', scopes: [] },
      expiresAt: 2_000_000_000,
      progress: { turn: 'm-1', step: 1, counts: {} },
    };
    const steps = await lifecycle(store, me, clock, every, false);
    const flagged = steps.at(-1) as TaskRecord;
    expect(Object.keys(flagged).length).toBeGreaterThanOrEqual(20);
    for (const [step, record] of steps.entries()) expect(fastProperties(record), `step ${step}`).toBe(true);
  });
});

/**
 * A task through every change of its record: the claim, a renewal, a WORKING commit, the release,
 * a second claim, the cancel flag, a push config and (unless `end` is false) the COMPLETED commit.
 */
async function lifecycle(
  store: MemoryTaskStore,
  me: ReturnType<typeof ctx>,
  clock: ReturnType<typeof testClock>,
  extra: Partial<TaskRecord>,
  end = true,
): Promise<TaskRecord[]> {
  const input = newTask({ tenant: 'tenant-a', ...extra });
  const id = input.task.id;
  const read = async () => (await store.get(me, id)) as TaskRecord;
  const lease = { owner: 'worker-1', until: clock.now() + 60_000 };
  const records: TaskRecord[] = [];
  await store.create(me, input);
  records.push((await store.acquireLease(me, { taskId: id, lease, now: clock.now() })) as TaskRecord);
  await store.renewLease(me, id, { ...lease, until: lease.until + 1 });
  records.push(await read());
  const working = applyEvents(
    await read(),
    [{ kind: 'status', status: { state: TaskState.Working } }],
    isoAt(clock.now()),
  );
  await store.commit(me, { taskId: id, expectedVersion: 1, next: working.next, events: working.stored });
  records.push(await read());
  await store.releaseLease(me, id, lease.owner);
  records.push(await read());
  await store.acquireLease(me, { taskId: id, lease, now: clock.now() });
  await store.requestCancel(me, id);
  records.push(await read());
  await store.putPushConfig(me, id, pushConfig(id));
  records.push(await read());
  if (!end) return records;
  const done = applyEvents(
    await read(),
    [{ kind: 'status', status: { state: TaskState.Completed } }],
    isoAt(clock.now()),
  );
  await store.commit(me, {
    taskId: id,
    expectedVersion: 2,
    next: { ...done.next, hasPush: true },
    events: done.stored,
  });
  records.push(await read());
  return records;
}
