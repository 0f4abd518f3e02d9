/**
 * The TaskStore contract: one suite, run against MemoryTaskStore (test/unit) and DynamoTaskStore
 * on DynamoDB Local (test/integration). When the twin and the real store disagree, this says so.
 */
import { describe, expect, it } from 'vitest';
import { TaskState } from '../../core/a2a/task-state';
import { RetryableError, VersionConflictError } from '../../core/errors';
import { isoAt } from '../../core/ports/clock';
import { applyEvents } from '../../core/task-record';
import { newTask, pushConfig, textArtifact, userMessage } from '../support/factories';
import { controlContract } from './task-store-control.contract';
import { type MakeTaskStore, useHarness } from './task-store-harness';
import { holdingContract } from './task-store-holding.contract';
import { listContract } from './task-store-list.contract';
import { pushContract } from './task-store-push.contract';
import { pushOwnerContract } from './task-store-push-owner.contract';
import { pushReadContract } from './task-store-push-read.contract';
import { reconcileContract } from './task-store-reconcile.contract';

export type { MakeTaskStore, TaskStoreFixture } from './task-store-harness';

const working = { kind: 'status', status: { state: TaskState.Working } } as const;

export function taskStoreContract(name: string, make: MakeTaskStore): void {
  describe(`TaskStore contract: ${name}`, () => {
    recordContract(make);
    isolationContract(make);
    holdingContract(make);
    commitContract(make);
    listContract(make);
    controlContract(make);
    pushContract(make);
    pushOwnerContract(make);
    pushReadContract(make);
    reconcileContract(make);
  });
}

function recordContract(make: MakeTaskStore): void {
  describe('create, get and readEvents', () => {
    const h = useHarness(make);

    it('returns the created task and its first event', async () => {
      const input = await h.create({ metadata: { source: 'test' }, traceparent: '00-abc-def-01' });
      expect(await h.store.get(h.me, input.task.id)).toEqual(input.task);
      expect(await h.store.readEvents(h.me, input.task.id, 0)).toEqual(input.events);
    });

    it('returns nothing for an unknown task', async () => {
      expect(await h.store.get(h.me, 'no-such-task')).toBeUndefined();
      expect(await h.store.readEvents(h.me, 'no-such-task', 0)).toEqual([]);
    });

    it('returns the original task when the same messageId creates again', async () => {
      const first = await h.create();
      const retry = newTask({ tenant: h.me.principal.tenant }, first.message);
      const result = await h.store.create(h.me, retry);
      expect(result).toEqual({ created: false, task: first.task });
      expect(await h.store.get(h.me, retry.task.id)).toBeUndefined();
      expect(await h.store.findByMessageId(h.me, first.message.messageId)).toBe(first.task.id);
      expect(await h.store.findByMessageId(h.me, 'never-sent')).toBeUndefined();
    });

    it('refuses a second task with an existing id', async () => {
      const first = await h.create();
      const again = newTask({ tenant: h.me.principal.tenant, id: first.task.id }, userMessage('other'));
      const config = pushConfig(first.task.id, { id: 'clash' });
      await expect(h.store.create(h.me, { ...again, pushConfigs: [config] })).rejects.toBeInstanceOf(
        VersionConflictError,
      );
      expect(await h.store.get(h.me, first.task.id)).toEqual(first.task);
      // nothing of the refused create is stored, and nothing of the first task is lost
      expect(await h.store.readEvents(h.me, first.task.id, 0)).toEqual(first.events);
      expect(await h.store.listPushConfigs(h.me, first.task.id)).toEqual([]);
    });

    it('stores inline push configs with the task', async () => {
      const input = newTask({ tenant: h.me.principal.tenant });
      const config = pushConfig(input.task.id, { id: 'inline' });
      await h.store.create(h.me, { ...input, pushConfigs: [config] });
      expect(await h.store.listPushConfigs(h.me, input.task.id)).toEqual([config]);
    });

    it('returns events after a seq, ascending, at most limit', async () => {
      const { task } = await h.create();
      for (let i = 0; i < 5; i++)
        await h.append(task.id, [{ kind: 'artifact', artifact: textArtifact(`a${i}`) }]);
      const seqs = async (after: number, limit?: number) =>
        (await h.store.readEvents(h.me, task.id, after, limit)).map((e) => e.seq);
      expect(await seqs(0)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await seqs(2, 2)).toEqual([3, 4]);
      expect(await seqs(5)).toEqual([6]);
      expect(await seqs(6)).toEqual([]);
    });
  });
}

function isolationContract(make: MakeTaskStore): void {
  describe('tenant isolation', () => {
    const h = useHarness(make);

    it('returns nothing for a task of another tenant', async () => {
      const { task, message } = await h.create();
      expect(await h.store.get(h.other, task.id)).toBeUndefined();
      expect(await h.store.readEvents(h.other, task.id, 0)).toEqual([]);
      expect(await h.store.findByMessageId(h.other, message.messageId)).toBeUndefined();
      const page = await h.store.list(h.other, { agentId: task.agentId, pageSize: 10 });
      expect(page).toEqual({ tasks: [], nextPageToken: '', totalSize: 0 });
    });

    it('lets another tenant neither commit, lease nor cancel a task', async () => {
      const { task } = await h.create();
      const { next, stored } = applyEvents(task, [working], isoAt(h.clock.now()));
      await expect(
        h.store.commit(h.other, { taskId: task.id, expectedVersion: 1, next, events: stored }),
      ).rejects.toBeInstanceOf(VersionConflictError);
      const lease = { owner: 'worker-x', until: h.clock.now() + 60_000 };
      expect(
        await h.store.acquireLease(h.other, { taskId: task.id, lease, now: h.clock.now() }),
      ).toBeUndefined();
      await h.store.acquireLease(h.me, { taskId: task.id, lease, now: h.clock.now() });
      expect(await h.store.renewLease(h.other, task.id, lease)).toBe(false);
      await h.store.releaseLease(h.other, task.id, lease.owner);
      await h.store.requestCancel(h.other, task.id);
      expect(await h.store.get(h.me, task.id)).toEqual({ ...task, lease });
      expect(await h.store.get(h.other, task.id)).toBeUndefined();
    });

    it('keeps push configs to their tenant', async () => {
      const { task } = await h.create();
      const config = pushConfig(task.id, { id: 'mine' });
      await h.store.putPushConfig(h.me, task.id, config);
      expect(await h.store.getPushConfig(h.other, task.id, 'mine')).toBeUndefined();
      expect(await h.store.listPushConfigs(h.other, task.id)).toEqual([]);
      await expect(h.store.putPushConfig(h.other, task.id, pushConfig(task.id))).rejects.toBeInstanceOf(
        VersionConflictError,
      );
      await h.store.deletePushConfig(h.other, task.id, 'mine');
      expect(await h.store.listPushConfigs(h.me, task.id)).toEqual([config]);
    });

    it('does not dedupe a messageId of another tenant', async () => {
      const first = await h.create();
      const theirs = newTask({ tenant: h.other.principal.tenant }, first.message);
      expect(await h.store.create(h.other, theirs)).toEqual({ created: true, task: theirs.task });
      expect(await h.store.findByMessageId(h.me, first.message.messageId)).toBe(first.task.id);
      expect(await h.store.findByMessageId(h.other, first.message.messageId)).toBe(theirs.task.id);
    });

    it('keeps tenants apart when tenant names and ids contain key separators', async () => {
      const base = h.me.principal.tenant;
      const a = { ...h.me, principal: { ...h.me.principal, tenant: base } };
      const b = { ...h.me, principal: { ...h.me.principal, tenant: `${base}#TASK#x` } };
      const input = newTask({ tenant: base, id: 'x#TASK#y' });
      await h.store.create(a, input);
      expect(await h.store.get(b, 'y')).toBeUndefined();
      expect(await h.store.get(a, 'x#TASK#y')).toEqual(input.task);
    });
  });
}

function commitContract(make: MakeTaskStore): void {
  describe('commit', () => {
    const h = useHarness(make);

    it('appends events and replaces the snapshot atomically', async () => {
      const { task } = await h.create();
      const artifact = textArtifact('result');
      const committed = await h.append(task.id, [working, { kind: 'artifact', artifact }]);
      expect(committed.version).toBe(3);
      expect(await h.store.get(h.me, task.id)).toEqual(committed);
      const events = await h.store.readEvents(h.me, task.id, 1);
      expect(events.map((e) => [e.seq, e.event.kind])).toEqual([
        [2, 'status'],
        [3, 'artifact'],
      ]);
    });

    it('rejects a stale version and writes nothing', async () => {
      const { task } = await h.create();
      const at = isoAt(h.clock.now());
      const a = applyEvents(task, [working], at);
      const b = applyEvents(task, [{ kind: 'artifact', artifact: textArtifact('late') }], at);
      await h.store.commit(h.me, { taskId: task.id, expectedVersion: 1, next: a.next, events: a.stored });
      await expect(
        h.store.commit(h.me, { taskId: task.id, expectedVersion: 1, next: b.next, events: b.stored }),
      ).rejects.toBeInstanceOf(VersionConflictError);
      expect(await h.store.get(h.me, task.id)).toEqual(a.next);
      expect((await h.store.readEvents(h.me, task.id, 0)).map((e) => e.event.kind)).toEqual([
        'status',
        'status',
      ]);
      // the version condition holds on its own, without events whose seqs would collide
      const empty = {
        taskId: task.id,
        expectedVersion: 1,
        next: { ...task, metadata: { stale: true } },
        events: [],
      };
      await expect(h.store.commit(h.me, empty)).rejects.toBeInstanceOf(VersionConflictError);
      expect(await h.store.get(h.me, task.id)).toEqual(a.next);
    });

    it('rejects a commit to an unknown task', async () => {
      const { task } = newTask({ tenant: h.me.principal.tenant });
      const { next, stored } = applyEvents(task, [working], isoAt(h.clock.now()));
      await expect(
        h.store.commit(h.me, { taskId: task.id, expectedVersion: 1, next, events: stored }),
      ).rejects.toBeInstanceOf(VersionConflictError);
      expect(await h.store.get(h.me, task.id)).toBeUndefined();
    });

    it('rejects events that do not continue the log', async () => {
      const { task } = await h.create();
      const { next, stored } = applyEvents(task, [working], isoAt(h.clock.now()));
      const gap = stored.map((e) => ({ ...e, seq: e.seq + 1 }));
      await expect(
        h.store.commit(h.me, {
          taskId: task.id,
          expectedVersion: 1,
          next: { ...next, version: 3 },
          events: gap,
        }),
      ).rejects.toThrow(/out-of-sequence/);
      expect(await h.store.get(h.me, task.id)).toEqual(task);
    });

    it('never overwrites the lease, the cancel flag or the identity fields', async () => {
      const { task } = await h.create();
      const lease = { owner: 'worker-1', until: h.clock.now() + 60_000 };
      await h.store.acquireLease(h.me, { taskId: task.id, lease, now: h.clock.now() });
      await h.store.requestCancel(h.me, task.id);
      // next comes from a read taken before the lease and the cancel request
      const { next, stored } = applyEvents(task, [working], isoAt(h.clock.now()));
      const forged = { ...next, owner: 'mallory', agentId: 'other', lease: { owner: 'x', until: 1 } };
      await h.store.commit(h.me, { taskId: task.id, expectedVersion: 1, next: forged, events: stored });
      expect(await h.store.get(h.me, task.id)).toEqual({ ...next, lease, cancelRequested: true });
      const listed = await h.store.list(h.me, { agentId: 'echo', pageSize: 5 });
      expect(listed.tasks.map((t) => t.id)).toEqual([task.id]);
      expect((await h.store.list(h.me, { agentId: 'other', pageSize: 5 })).totalSize).toBe(0);
    });

    it('records a follow-up messageId once', async () => {
      const { task } = await h.create();
      const followUp = userMessage('more');
      const at = isoAt(h.clock.now());
      const first = applyEvents(task, [working], at);
      await h.store.commit(h.me, {
        taskId: task.id,
        expectedVersion: 1,
        next: first.next,
        events: first.stored,
        idempotencyKey: followUp.messageId,
      });
      expect(await h.store.findByMessageId(h.me, followUp.messageId)).toBe(task.id);
      const second = applyEvents(first.next, [working], at);
      await expect(
        h.store.commit(h.me, {
          taskId: task.id,
          expectedVersion: 2,
          next: second.next,
          events: second.stored,
          idempotencyKey: followUp.messageId,
        }),
      ).rejects.toBeInstanceOf(VersionConflictError);
      expect((await h.store.get(h.me, task.id))?.version).toBe(2);
    });

    it('serializes concurrent writers: no event is lost and the sequence has no gaps', async () => {
      const { task } = await h.create();
      const perWriter = 25;
      const writer = async (name: string) => {
        for (let i = 0; i < perWriter; i++) {
          const artifact = textArtifact(`${name}-${i}`, { artifactId: `${name}-${i}` });
          for (let attempt = 0; ; attempt++) {
            if (attempt > 500) throw new Error(`writer ${name} starved`);
            const current = await h.store.get(h.me, task.id);
            if (!current) throw new Error('task vanished');
            const { next, stored } = applyEvents(
              current,
              [{ kind: 'artifact', artifact }],
              isoAt(h.clock.now()),
            );
            try {
              await h.store.commit(h.me, {
                taskId: task.id,
                expectedVersion: current.version,
                next,
                events: stored,
              });
              break;
            } catch (err) {
              if (!(err instanceof VersionConflictError || err instanceof RetryableError)) throw err;
            }
          }
        }
      };
      await Promise.all([writer('a'), writer('b')]);
      const events = await h.store.readEvents(h.me, task.id, 0);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 2 * perWriter + 1 }, (_, i) => i + 1));
      const ids = events.flatMap((e) => (e.event.kind === 'artifact' ? [e.event.artifact.artifactId] : []));
      expect(new Set(ids).size).toBe(2 * perWriter);
      const final = await h.store.get(h.me, task.id);
      expect(final?.version).toBe(2 * perWriter + 1);
      expect(final?.artifacts.map((a) => a.artifactId).sort()).toEqual([...ids].sort());
    });
  });
}
