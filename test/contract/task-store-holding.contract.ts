/**
 * What a caller holds and what the store holds stay apart, both ways: changing the objects a caller
 * wrote or read (where the store lets it: a store may hand out frozen values) never reaches the
 * store, and a later write never changes a value a caller already read.
 */
import { describe, expect, it } from 'vitest';
import { TaskState } from '../../core/a2a/task-state';
import { isoAt } from '../../core/ports/clock';
import { applyEvents, type TaskRecord } from '../../core/task-record';
import { newTask, textArtifact } from '../support/factories';
import { type MakeTaskStore, useHarness } from './task-store-harness';

/** Tries to change a value in place; a frozen value refuses (TypeError), which is as good. */
function scribble(record: TaskRecord): void {
  try {
    record.status.state = TaskState.Failed;
  } catch {}
  try {
    const part = record.history[0]?.parts[0];
    if (part && 'text' in part) part.text = 'changed';
  } catch {}
  try {
    record.history.push(record.history[0] as TaskRecord['history'][number]);
  } catch {}
  try {
    record.version = 99;
  } catch {}
}

export function holdingContract(make: MakeTaskStore): void {
  describe('what callers hold', () => {
    const h = useHarness(make);

    it('keeps a created task apart from the objects the caller passed in', async () => {
      const input = newTask({ tenant: h.me.principal.tenant });
      const before = structuredClone(input);
      await h.store.create(h.me, input);
      scribble(input.task);
      input.message.parts = [];
      input.events[0] = { ...before.events[0], seq: 7 } as (typeof input.events)[number];
      expect(await h.store.get(h.me, before.task.id)).toEqual(before.task);
      expect(await h.store.readEvents(h.me, before.task.id, 0)).toEqual(before.events);
    });

    it('keeps the stored task apart from what a caller read or got back', async () => {
      const { task } = await h.create();
      const committed = await h.append(task.id, [{ kind: 'artifact', artifact: textArtifact('a') }]);
      const expected = structuredClone(await h.store.get(h.me, task.id));
      const events = structuredClone(await h.store.readEvents(h.me, task.id, 0));
      scribble(committed);
      const read = await h.store.get(h.me, task.id);
      if (read) scribble(read);
      const readEvents = await h.store.readEvents(h.me, task.id, 0);
      try {
        if (readEvents[0]) readEvents[0].seq = 42;
      } catch {}
      readEvents.pop();
      expect(await h.store.get(h.me, task.id)).toEqual(expected);
      expect(await h.store.readEvents(h.me, task.id, 0)).toEqual(events);
    });

    it('never changes a record a caller read when the task changes later', async () => {
      const { task } = await h.create();
      const read = (await h.store.get(h.me, task.id)) as TaskRecord;
      const snapshot = structuredClone(read);
      const { next, stored } = applyEvents(
        read,
        [{ kind: 'status', status: { state: TaskState.Working } }],
        isoAt(h.clock.now()),
      );
      await h.store.commit(h.me, { taskId: task.id, expectedVersion: 1, next, events: stored });
      const lease = { owner: 'worker-x', until: h.clock.now() + 60_000 };
      await h.store.acquireLease(h.me, { taskId: task.id, lease, now: h.clock.now() });
      await h.store.requestCancel(h.me, task.id);
      expect(read).toEqual(snapshot);
      expect(await h.store.get(h.me, task.id)).toMatchObject({ version: 2, lease, cancelRequested: true });
    });
  });
}
