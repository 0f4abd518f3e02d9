/** TaskStore contract: leases, cancel, push configs, expiry (TTL) and the item size limit. */
import { describe, expect, it } from 'vitest';
import { TaskState } from '../../core/a2a/task-state';
import { ItemTooLargeError, VersionConflictError } from '../../core/errors';
import { isoAt } from '../../core/ports/clock';
import { applyEvents } from '../../core/task-record';
import { newTask, pushConfig, textArtifact, userMessage } from '../support/factories';
import { type MakeTaskStore, useHarness } from './task-store-harness';

const big = (bytes: number) => 'x'.repeat(bytes);

export function controlContract(make: MakeTaskStore): void {
  describe('leases and cancel', () => {
    const h = useHarness(make);
    const lease = (owner: string, forMs: number) => ({ owner, until: h.clock.now() + forMs });

    it('grants a free lease and returns the task with it', async () => {
      const { task } = await h.create();
      const l = lease('worker-1', 30_000);
      expect(await h.store.acquireLease(h.me, { taskId: task.id, lease: l, now: h.clock.now() })).toEqual({
        ...task,
        lease: l,
      });
    });

    it('claims with runnableFrom only a SUBMITTED or WORKING task at that version or later', async () => {
      const { task } = await h.create();
      const now = h.clock.now();
      const claim = (owner: string, runnableFrom: number) =>
        h.store.acquireLease(h.me, { taskId: task.id, lease: lease(owner, 30_000), now, runnableFrom });
      expect(await claim('worker-1', task.version + 1)).toBeUndefined();
      expect((await h.store.get(h.me, task.id))?.lease).toBeUndefined();
      expect((await claim('worker-1', task.version))?.lease?.owner).toBe('worker-1');
      await h.store.releaseLease(h.me, task.id, 'worker-1');
      const ended = await h.store.commit(h.me, {
        taskId: task.id,
        expectedVersion: task.version,
        next: {
          ...task,
          version: task.version + 1,
          status: { state: TaskState.InputRequired, timestamp: task.createdAt },
        },
        events: [
          {
            seq: task.version + 1,
            at: task.createdAt,
            event: { kind: 'status', status: { state: TaskState.InputRequired, timestamp: task.createdAt } },
          },
        ],
      });
      expect(await claim('worker-2', 1)).toBeUndefined();
      expect((await h.store.get(h.me, ended.id))?.lease).toBeUndefined();
    });

    it('denies a held lease until it ends, then lets another owner take it over', async () => {
      const { task } = await h.create();
      const now = h.clock.now();
      await h.store.acquireLease(h.me, { taskId: task.id, lease: lease('worker-1', 30_000), now });
      const rival = lease('worker-2', 60_000);
      expect(
        await h.store.acquireLease(h.me, { taskId: task.id, lease: rival, now: now + 29_999 }),
      ).toBeUndefined();
      const taken = await h.store.acquireLease(h.me, { taskId: task.id, lease: rival, now: now + 30_000 });
      expect(taken?.lease).toEqual(rival);
      expect(await h.store.renewLease(h.me, task.id, lease('worker-1', 90_000))).toBe(false);
    });

    it('lets the holder re-acquire and renew its lease', async () => {
      const { task } = await h.create();
      const now = h.clock.now();
      await h.store.acquireLease(h.me, { taskId: task.id, lease: lease('worker-1', 30_000), now });
      const again = lease('worker-1', 40_000);
      expect((await h.store.acquireLease(h.me, { taskId: task.id, lease: again, now }))?.lease).toEqual(
        again,
      );
      const renewed = lease('worker-1', 90_000);
      expect(await h.store.renewLease(h.me, task.id, renewed)).toBe(true);
      expect((await h.store.get(h.me, task.id))?.lease).toEqual(renewed);
    });

    it('releases a lease only for its owner', async () => {
      const { task } = await h.create();
      const l = lease('worker-1', 30_000);
      await h.store.acquireLease(h.me, { taskId: task.id, lease: l, now: h.clock.now() });
      await h.store.releaseLease(h.me, task.id, 'worker-2');
      expect((await h.store.get(h.me, task.id))?.lease).toEqual(l);
      await h.store.releaseLease(h.me, task.id, 'worker-1');
      expect((await h.store.get(h.me, task.id))?.lease).toBeUndefined();
      expect(await h.store.renewLease(h.me, task.id, l)).toBe(false);
    });

    it('ends the lease with the commit that ends the task, and keeps it through other commits', async () => {
      const { task } = await h.create();
      const l = lease('worker-1', 30_000);
      const claimed = await h.store.acquireLease(h.me, { taskId: task.id, lease: l, now: h.clock.now() });
      const working = await h.append(task.id, [{ kind: 'status', status: { state: TaskState.Working } }]);
      expect(working.lease).toEqual(claimed?.lease);
      expect((await h.store.get(h.me, task.id))?.lease).toEqual(l);
      const done = await h.append(task.id, [{ kind: 'status', status: { state: TaskState.Completed } }]);
      // the run that ended the task has nothing to release
      expect(done.lease).toBeUndefined();
      expect((await h.store.get(h.me, task.id))?.lease).toBeUndefined();
      expect(await h.store.renewLease(h.me, task.id, l)).toBe(false);
    });

    it('sets the cancel flag without touching the version', async () => {
      const { task } = await h.create();
      await h.store.requestCancel(h.me, task.id);
      expect(await h.store.get(h.me, task.id)).toEqual({ ...task, cancelRequested: true });
    });

    it('refuses a commit made unless a cancel was requested once one is, and only that commit', async () => {
      const { task } = await h.create();
      const inputRequired = { kind: 'status', status: { state: TaskState.InputRequired } } as const;
      const commitUnlessCanceled = async () => {
        const current = await h.store.get(h.me, task.id);
        if (!current) throw new Error('task missing');
        const { next, stored } = applyEvents(current, [inputRequired], isoAt(h.clock.now()));
        return h.store.commit(h.me, {
          taskId: task.id,
          expectedVersion: current.version,
          next,
          events: stored,
          unlessCancelRequested: true,
        });
      };
      await h.append(task.id, [{ kind: 'status', status: { state: TaskState.Working } }]);
      await h.store.requestCancel(h.me, task.id);
      await expect(commitUnlessCanceled()).rejects.toBeInstanceOf(VersionConflictError);
      expect((await h.store.get(h.me, task.id))?.status.state).toBe(TaskState.Working);
      // a commit that does not ask still goes through (the worker's cancel, a plain step)
      expect((await h.append(task.id, [inputRequired])).status.state).toBe(TaskState.InputRequired);
      const other = await h.create();
      await h.append(other.task.id, [{ kind: 'status', status: { state: TaskState.Working } }]);
      const current = await h.store.get(h.me, other.task.id);
      if (!current) throw new Error('task missing');
      const { next, stored } = applyEvents(current, [inputRequired], isoAt(h.clock.now()));
      const committed = await h.store.commit(h.me, {
        taskId: other.task.id,
        expectedVersion: current.version,
        next,
        events: stored,
        unlessCancelRequested: true,
      });
      expect(committed.status.state).toBe(TaskState.InputRequired);
    });

    it('creates nothing for an unknown task', async () => {
      const l = lease('worker-1', 30_000);
      expect(
        await h.store.acquireLease(h.me, { taskId: 'ghost', lease: l, now: h.clock.now() }),
      ).toBeUndefined();
      expect(await h.store.renewLease(h.me, 'ghost', l)).toBe(false);
      await h.store.releaseLease(h.me, 'ghost', 'worker-1');
      await h.store.requestCancel(h.me, 'ghost');
      expect(await h.store.get(h.me, 'ghost')).toBeUndefined();
    });
  });

  describe('push configs', () => {
    const h = useHarness(make);

    it('puts, gets, lists (by id), replaces and deletes configs; delete is idempotent', async () => {
      const { task } = await h.create();
      const b = pushConfig(task.id, { id: 'b' });
      const a = pushConfig(task.id, { id: 'a', authentication: { scheme: 'Bearer', credentials: 'tok' } });
      await h.store.putPushConfig(h.me, task.id, b);
      await h.store.putPushConfig(h.me, task.id, a);
      expect(await h.store.getPushConfig(h.me, task.id, 'a')).toEqual(a);
      expect(await h.store.listPushConfigs(h.me, task.id)).toEqual([a, b]);
      const b2 = { ...b, delivery: { lastDeliveredSeq: 3, consecutiveFailures: 0 } };
      await h.store.putPushConfig(h.me, task.id, b2);
      expect(await h.store.getPushConfig(h.me, task.id, 'b')).toEqual(b2);
      await h.store.deletePushConfig(h.me, task.id, 'a');
      await h.store.deletePushConfig(h.me, task.id, 'a');
      expect(await h.store.getPushConfig(h.me, task.id, 'a')).toBeUndefined();
      expect(await h.store.listPushConfigs(h.me, task.id)).toEqual([b2]);
    });

    it('refuses a config for an unknown task', async () => {
      await expect(h.store.putPushConfig(h.me, 'ghost', pushConfig('ghost'))).rejects.toBeInstanceOf(
        VersionConflictError,
      );
      expect(await h.store.listPushConfigs(h.me, 'ghost')).toEqual([]);
    });
  });

  describe('expiry (TTL)', () => {
    const h = useHarness(make);
    const completed = { kind: 'status', status: { state: TaskState.Completed } } as const;

    it('hides an expired task from get, list and writes', async () => {
      const expiresAt = h.clock.now() / 1000 + 60;
      const { task } = await h.create({ status: { state: TaskState.Completed }, expiresAt });
      expect(await h.store.get(h.me, task.id)).toEqual(task);
      expect((await h.store.list(h.me, { agentId: 'echo', pageSize: 5 })).totalSize).toBe(1);
      h.clock.advance(60_000);
      expect(await h.store.get(h.me, task.id)).toBeUndefined();
      expect(await h.store.list(h.me, { agentId: 'echo', pageSize: 5 })).toEqual({
        tasks: [],
        nextPageToken: '',
        totalSize: 0,
      });
      expect(
        await h.store.acquireLease(h.me, { taskId: task.id, lease: { owner: 'w', until: 1 }, now: 0 }),
      ).toBeUndefined();
      await expect(h.store.putPushConfig(h.me, task.id, pushConfig(task.id))).rejects.toBeInstanceOf(
        VersionConflictError,
      );
    });

    it('expires the final events with the task, and push configs once a dispatcher stamps them', async () => {
      const { task } = await h.create();
      const fresh = (id: string) => ({
        ...pushConfig(task.id, { id }),
        delivery: { lastDeliveredSeq: 0, consecutiveFailures: 0 },
      });
      for (const id of ['moved', 'released', 'suspended', 'unstamped'])
        await h.store.putPushConfig(h.me, task.id, fresh(id));
      const expiresAt = h.clock.now() / 1000 + 60;
      await h.append(task.id, [completed], (next) => {
        next.expiresAt = expiresAt;
      });
      // A config put on the ended task takes its expiry at once.
      await h.store.putPushConfig(h.me, task.id, fresh('late'));
      // The ending commit stamped none: a dispatcher's release does (decision 76), with a cursor
      // move or without, and expirePushConfig the suspended configs a dispatcher does not take.
      const now = h.clock.now();
      const hold = (id: string) =>
        h.store.acquirePushLease(h.me, task.id, id, { owner: 'd1', until: now + 1000 }, now);
      expect(await hold('moved')).toBeDefined();
      const moved = { ...fresh('moved'), delivery: { lastDeliveredSeq: 2, consecutiveFailures: 0 } };
      expect(
        await h.store.releasePushLease(
          h.me,
          task.id,
          'moved',
          'd1',
          { config: moved, expectedSeq: 0 },
          expiresAt,
        ),
      ).toBe('released');
      expect(await hold('released')).toBeDefined();
      expect(await h.store.releasePushLease(h.me, task.id, 'released', 'd1', undefined, expiresAt)).toBe(
        'released',
      );
      await h.store.expirePushConfig(h.me, task.id, 'suspended', expiresAt);
      expect(await h.store.readEvents(h.me, task.id, 1)).toHaveLength(1);
      expect((await h.store.getPushConfig(h.me, task.id, 'moved'))?.delivery?.lastDeliveredSeq).toBe(2);
      expect(await h.store.listPushConfigs(h.me, task.id)).toHaveLength(5);
      h.clock.advance(61_000);
      expect(await h.store.readEvents(h.me, task.id, 1)).toEqual([]);
      expect(await h.store.getPushConfig(h.me, task.id, 'moved')).toBeUndefined();
      expect((await h.store.listPushConfigs(h.me, task.id)).map((c) => c.config.id)).toEqual(['unstamped']);
      // An expired config is not stamped again (nor brought back).
      await h.store.expirePushConfig(h.me, task.id, 'late', h.clock.now() / 1000 + 600);
      expect(await h.store.getPushConfig(h.me, task.id, 'late')).toBeUndefined();
    });

    it('lets a messageId start a new task once its task has expired', async () => {
      const message = userMessage('hi');
      const first = newTask({ tenant: h.me.principal.tenant, expiresAt: h.clock.now() / 1000 + 10 }, message);
      await h.store.create(h.me, first);
      h.clock.advance(10_000);
      const second = newTask({ tenant: h.me.principal.tenant }, message);
      expect(await h.store.create(h.me, second)).toEqual({ created: true, task: second.task });
      expect(await h.store.findByMessageId(h.me, message.messageId)).toBe(second.task.id);
    });
  });

  describe('item size limit', () => {
    const h = useHarness(make);

    it('rejects an oversized new task and writes nothing', async () => {
      const message = userMessage(big(400 * 1024));
      const input = newTask({ tenant: h.me.principal.tenant }, message);
      await expect(h.store.create(h.me, input)).rejects.toBeInstanceOf(ItemTooLargeError);
      expect(await h.store.get(h.me, input.task.id)).toBeUndefined();
      expect(await h.store.findByMessageId(h.me, message.messageId)).toBeUndefined();
      expect(await h.store.readEvents(h.me, input.task.id, 0)).toEqual([]);
    });

    it('rejects an oversized commit and leaves the task as it was', async () => {
      const { task } = await h.create();
      const huge = { kind: 'artifact', artifact: textArtifact(big(390 * 1024)) } as const;
      await expect(h.append(task.id, [huge])).rejects.toBeInstanceOf(ItemTooLargeError);
      expect(await h.store.get(h.me, task.id)).toEqual(task);
      expect(await h.store.readEvents(h.me, task.id, 0)).toHaveLength(1);
    });

    it('rejects an oversized push config', async () => {
      const { task } = await h.create();
      const config = pushConfig(task.id, { id: 'huge', token: big(400 * 1024) });
      await expect(h.store.putPushConfig(h.me, task.id, config)).rejects.toBeInstanceOf(ItemTooLargeError);
      expect(await h.store.listPushConfigs(h.me, task.id)).toEqual([]);
    });
  });
}
