/**
 * TaskStore contract, the reconciler's index (findStranded, deferReconcile) and the worker's
 * event cursor (TaskRecord.progress). The index spans tenants and the suite shares one table, so
 * each test works at its own point in the past and looks only at its own tenant's tasks.
 */
import { describe, expect, it } from 'vitest';
import { STALE_SUBMITTED_MS } from '../../adapters/shared/reconcile-due';
import { TaskState } from '../../core/a2a/task-state';
import { type RunCursor, toTask } from '../../core/task-record';
import type { Harness, MakeTaskStore } from './task-store-harness';
import { useHarness } from './task-store-harness';

const epoch = (year: number) => Date.UTC(year, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

async function mine(h: Harness, dueBefore: number, limit = 100) {
  const found = await h.store.findStranded({ dueBefore, limit });
  return found.filter((r) => r.tenant === h.me.principal.tenant);
}

async function submittedAt(h: Harness, ms: number) {
  h.clock.set(ms);
  const { task } = await h.create({
    createdAt: iso(ms),
    status: { state: TaskState.Submitted, timestamp: iso(ms) },
  });
  return task;
}

const status = (state: TaskState, at: number) =>
  ({ kind: 'status', status: { state, timestamp: iso(at) } }) as const;

export function reconcileContract(make: MakeTaskStore): void {
  describe('reconciler index', () => {
    const h = useHarness(make);

    it('lists a submitted task once its grace period has passed', async () => {
      const t0 = epoch(1981);
      const task = await submittedAt(h, t0);
      expect(await mine(h, t0 + STALE_SUBMITTED_MS - 1)).toEqual([]);
      expect(await mine(h, t0 + STALE_SUBMITTED_MS)).toEqual([
        { tenant: h.me.principal.tenant, taskId: task.id, dueAt: t0 + STALE_SUBMITTED_MS },
      ]);
    });

    it('keeps the due time through a claim and its renewals, and sets a grace period past a release', async () => {
      const t0 = epoch(1982);
      const task = await submittedAt(h, t0);
      await h.store.acquireLease(h.me, {
        taskId: task.id,
        lease: { owner: 'w', until: t0 + 5_000 },
        now: t0,
      });
      // claims and renewals write no index key (the reconciler defers a leased task itself)
      expect(await mine(h, t0 + STALE_SUBMITTED_MS - 1)).toEqual([]);
      await h.store.renewLease(h.me, task.id, { owner: 'w', until: t0 + 9_000 });
      expect((await mine(h, t0 + STALE_SUBMITTED_MS)).map((r) => r.dueAt)).toEqual([t0 + STALE_SUBMITTED_MS]);
      h.clock.set(t0 + 7_000);
      await h.store.releaseLease(h.me, task.id, 'w');
      expect((await mine(h, t0 + 7_000 + STALE_SUBMITTED_MS)).map((r) => r.dueAt)).toEqual([
        t0 + 7_000 + STALE_SUBMITTED_MS,
      ]);
    });

    it('keeps a working task due where it was submitted, drops settled and ended tasks, and re-lists a follow-up', async () => {
      const t0 = epoch(1983);
      const task = await submittedAt(h, t0);
      await h.store.acquireLease(h.me, {
        taskId: task.id,
        lease: { owner: 'w', until: t0 + 5_000 },
        now: t0,
      });
      await h.append(task.id, [status(TaskState.Working, t0)]);
      expect((await mine(h, epoch(1984))).map((r) => r.dueAt)).toEqual([t0 + STALE_SUBMITTED_MS]);
      await h.append(task.id, [status(TaskState.InputRequired, t0)]);
      expect(await mine(h, epoch(1984))).toEqual([]);
      h.clock.set(t0 + 60_000);
      await h.append(task.id, [status(TaskState.Submitted, t0 + 60_000)]);
      expect((await mine(h, epoch(1984))).map((r) => r.dueAt)).toEqual([t0 + 60_000 + STALE_SUBMITTED_MS]);
      await h.append(task.id, [status(TaskState.Canceled, t0 + 60_000)]);
      expect(await mine(h, epoch(1984))).toEqual([]);
    });

    it('defers an unleased task, and a leased one to no earlier than the end of its lease', async () => {
      const t0 = epoch(1985);
      const free = await submittedAt(h, t0);
      const held = await submittedAt(h, t0);
      h.clock.set(t0 + STALE_SUBMITTED_MS);
      await h.store.acquireLease(h.me, {
        taskId: held.id,
        lease: { owner: 'w', until: t0 + 600_000 },
        now: t0 + STALE_SUBMITTED_MS,
      });
      await h.store.deferReconcile(h.me, free.id, t0 + 300_000);
      await h.store.deferReconcile(h.me, held.id, t0 + 300_000);
      let due = await mine(h, epoch(1986));
      expect(due.find((r) => r.taskId === free.id)?.dueAt).toBe(t0 + 300_000);
      expect(due.find((r) => r.taskId === held.id)?.dueAt).toBe(t0 + STALE_SUBMITTED_MS);
      await h.store.deferReconcile(h.me, held.id, t0 + 600_000);
      due = await mine(h, epoch(1986));
      expect(due.find((r) => r.taskId === held.id)?.dueAt).toBe(t0 + 600_000);
    });

    it('returns the oldest due tasks first, at most limit', async () => {
      const t0 = epoch(1980);
      const tasks = [];
      for (const offset of [3_000, 1_000, 2_000]) tasks.push(await submittedAt(h, t0 + offset));
      const found = await h.store.findStranded({ dueBefore: t0 + 10_000 + STALE_SUBMITTED_MS, limit: 2 });
      expect(found.map((r) => r.taskId)).toEqual([tasks[1]?.id, tasks[2]?.id]);
    });
  });

  describe('worker event cursor', () => {
    const h = useHarness(make);

    it('round-trips the cursor, keeps it through later commits and out of the public task', async () => {
      const { task } = await h.create();
      const cursor: RunCursor = {
        turn: 'm1',
        step: 3,
        counts: { 'tok:agent': 2, int: 1 },
        interrupt: { id: 'i-1', turn: 'm1', asks: 1 },
      };
      await h.append(task.id, [status(TaskState.Working, h.clock.now())], (next) => {
        next.progress = cursor;
      });
      expect((await h.store.get(h.me, task.id))?.progress).toEqual(cursor);
      await h.append(task.id, [status(TaskState.InputRequired, h.clock.now())]);
      const stored = await h.store.get(h.me, task.id);
      expect(stored?.progress).toEqual(cursor);
      expect(toTask(stored ?? task)).not.toHaveProperty('progress');
    });
  });

  describe('queued-work count (countQueued)', () => {
    const h = useHarness(make);
    const submitted = { status: { state: TaskState.Submitted, timestamp: iso(epoch(1990)) } };

    it("counts the tenant's submitted tasks up to the limit, never another tenant's", async () => {
      for (let i = 0; i < 3; i += 1) await h.create(submitted);
      await h.create({ status: { state: TaskState.Working, timestamp: iso(epoch(1990)) } });
      expect(await h.store.countQueued(h.me, 10)).toBe(3);
      expect(await h.store.countQueued(h.me, 2)).toBe(2);
      expect(await h.store.countQueued(h.other, 10)).toBe(0);
    });

    it('stops counting a task once a worker moves it on, and counts a follow-up again', async () => {
      const { task } = await h.create(submitted);
      expect(await h.store.countQueued(h.me, 10)).toBe(1);
      await h.append(task.id, [status(TaskState.Working, epoch(1990))]);
      expect(await h.store.countQueued(h.me, 10)).toBe(0);
      await h.append(task.id, [status(TaskState.InputRequired, epoch(1990))]);
      await h.append(task.id, [status(TaskState.Submitted, epoch(1990))]);
      expect(await h.store.countQueued(h.me, 10)).toBe(1);
      await h.append(task.id, [status(TaskState.Canceled, epoch(1990))]);
      expect(await h.store.countQueued(h.me, 10)).toBe(0);
    });
  });
}
