/** TaskStore contract: push delivery state, the hasPush flag and per-config dispatch leases. */
import { describe, expect, it } from 'vitest';
import { TaskState } from '../../core/a2a/task-state';
import { VersionConflictError } from '../../core/errors';
import { isoAt } from '../../core/ports/clock';
import { applyEvents } from '../../core/task-record';
import { pushConfig } from '../support/factories';
import { type MakeTaskStore, useHarness } from './task-store-harness';

const working = { kind: 'status', status: { state: TaskState.Working } } as const;

export function pushContract(make: MakeTaskStore): void {
  describe('push delivery state', () => {
    const h = useHarness(make);

    it('marks the task hasPush when a config is put, and keeps it across commits', async () => {
      const { task } = await h.create();
      expect((await h.store.get(h.me, task.id))?.hasPush).toBeUndefined();
      await h.store.putPushConfig(h.me, task.id, pushConfig(task.id));
      expect((await h.store.get(h.me, task.id))?.hasPush).toBe(true);
      await h.append(task.id, [working]);
      expect((await h.store.get(h.me, task.id))?.hasPush).toBe(true);
    });

    it('fails a commit made from a read taken before the first config was added', async () => {
      const { task } = await h.create();
      const stale = await h.store.get(h.me, task.id);
      if (!stale) throw new Error('missing');
      await h.store.putPushConfig(h.me, task.id, pushConfig(task.id));
      const { next, stored } = applyEvents(stale, [working], isoAt(h.clock.now()));
      await expect(
        h.store.commit(h.me, { taskId: task.id, expectedVersion: stale.version, next, events: stored }),
      ).rejects.toBeInstanceOf(VersionConflictError);
      expect((await h.store.get(h.me, task.id))?.version).toBe(stale.version);
    });

    it('moves the delivery cursor only from the expected seq', async () => {
      const { task } = await h.create();
      const cfg = { ...pushConfig(task.id), delivery: { lastDeliveredSeq: 0, consecutiveFailures: 0 } };
      await h.store.putPushConfig(h.me, task.id, cfg);
      const moved = { ...cfg, delivery: { lastDeliveredSeq: 1, consecutiveFailures: 0 } };
      expect(await h.store.updatePushDelivery(h.me, task.id, moved, 0)).toBe(true);
      const again = { ...cfg, delivery: { lastDeliveredSeq: 2, consecutiveFailures: 0 } };
      expect(await h.store.updatePushDelivery(h.me, task.id, again, 0)).toBe(false);
      expect((await h.store.getPushConfig(h.me, task.id, cfg.config.id ?? ''))?.delivery).toEqual(
        moved.delivery,
      );
    });

    it('does not move the cursor of a deleted config or of another tenant', async () => {
      const { task } = await h.create();
      const cfg = { ...pushConfig(task.id), delivery: { lastDeliveredSeq: 0, consecutiveFailures: 0 } };
      await h.store.putPushConfig(h.me, task.id, cfg);
      const moved = { ...cfg, delivery: { lastDeliveredSeq: 1, consecutiveFailures: 0 } };
      expect(await h.store.updatePushDelivery(h.other, task.id, moved, 0)).toBe(false);
      await h.store.deletePushConfig(h.me, task.id, cfg.config.id ?? '');
      expect(await h.store.updatePushDelivery(h.me, task.id, moved, 0)).toBe(false);
    });

    it('gives a config dispatch lease to one owner at a time until it ends or is released', async () => {
      const { task } = await h.create();
      const cfg = pushConfig(task.id);
      const id = cfg.config.id ?? '';
      await h.store.putPushConfig(h.me, task.id, cfg);
      const now = h.clock.now();
      const first = await h.store.acquirePushLease(
        h.me,
        task.id,
        id,
        { owner: 'd1', until: now + 1000 },
        now,
      );
      expect(first?.config).toEqual(cfg.config);
      expect(
        await h.store.acquirePushLease(h.me, task.id, id, { owner: 'd2', until: now + 1000 }, now),
      ).toBeUndefined();
      expect(
        await h.store.acquirePushLease(h.other, task.id, id, { owner: 'd3', until: now + 1000 }, now),
      ).toBeUndefined();
      expect(
        await h.store.acquirePushLease(h.me, task.id, id, { owner: 'd2', until: now + 3000 }, now + 1000),
      ).toBeDefined();
      await h.store.releasePushLease(h.me, task.id, id, 'd1');
      expect(
        await h.store.acquirePushLease(h.me, task.id, id, { owner: 'd1', until: now + 3000 }, now + 1500),
      ).toBeUndefined();
      await h.store.releasePushLease(h.me, task.id, id, 'd2');
      expect(
        await h.store.acquirePushLease(h.me, task.id, id, { owner: 'd1', until: now + 3000 }, now + 1500),
      ).toBeDefined();
    });

    it('moves the cursor in the write that releases the lease, for the lease owner from the expected seq', async () => {
      const { task } = await h.create();
      const cfg = { ...pushConfig(task.id), delivery: { lastDeliveredSeq: 0, consecutiveFailures: 0 } };
      const id = cfg.config.id ?? '';
      await h.store.putPushConfig(h.me, task.id, cfg);
      const now = h.clock.now();
      const lease = (owner: string, at = now) =>
        h.store.acquirePushLease(h.me, task.id, id, { owner, until: at + 1000 }, at);
      expect(await lease('d1')).toBeDefined();
      const moved = { ...cfg, delivery: { lastDeliveredSeq: 2, consecutiveFailures: 0 } };
      // Not the owner, or not from the cursor it read: nothing is written, the lease stays.
      expect(await h.store.releasePushLease(h.me, task.id, id, 'd2', { config: moved, expectedSeq: 0 })).toBe(
        false,
      );
      expect(await h.store.releasePushLease(h.me, task.id, id, 'd1', { config: moved, expectedSeq: 1 })).toBe(
        false,
      );
      expect((await h.store.getPushConfig(h.me, task.id, id))?.delivery?.lastDeliveredSeq).toBe(0);
      expect(await lease('d2')).toBeUndefined();
      // The owner from the cursor it read: cursor moved and lease released in one call (d2 was
      // turned away meanwhile: the release says so).
      expect(await h.store.releasePushLease(h.me, task.id, id, 'd1', { config: moved, expectedSeq: 0 })).toBe(
        'knocked',
      );
      expect((await h.store.getPushConfig(h.me, task.id, id))?.delivery).toEqual(moved.delivery);
      expect(await lease('d2')).toBeDefined();
      // A holder whose lease expired and was taken over can no longer move the cursor.
      expect(await lease('d3', now + 5000)).toBeDefined();
      const late = { ...cfg, delivery: { lastDeliveredSeq: 3, consecutiveFailures: 0 } };
      expect(await h.store.releasePushLease(h.me, task.id, id, 'd2', { config: late, expectedSeq: 2 })).toBe(
        false,
      );
      expect((await h.store.getPushConfig(h.me, task.id, id))?.delivery?.lastDeliveredSeq).toBe(2);
    });

    it('tells the holder at its release that another dispatcher was turned away, once', async () => {
      const { task } = await h.create();
      const cfg = { ...pushConfig(task.id), delivery: { lastDeliveredSeq: 0, consecutiveFailures: 0 } };
      const id = cfg.config.id ?? '';
      await h.store.putPushConfig(h.me, task.id, cfg);
      const now = h.clock.now();
      const lease = (owner: string) =>
        h.store.acquirePushLease(h.me, task.id, id, { owner, until: now + 1000 }, now);
      expect(await lease('d1')).toBeDefined();
      expect(await h.store.releasePushLease(h.me, task.id, id, 'd1')).toBe('released');
      expect(await lease('d1')).toBeDefined();
      expect(await lease('d2')).toBeUndefined();
      const moved = { ...cfg, delivery: { lastDeliveredSeq: 1, consecutiveFailures: 0 } };
      expect(await h.store.releasePushLease(h.me, task.id, id, 'd1', { config: moved, expectedSeq: 0 })).toBe(
        'knocked',
      );
      // the knock was for that hold: the next holder starts without one
      expect(await lease('d2')).toBeDefined();
      expect(await h.store.releasePushLease(h.me, task.id, id, 'd2')).toBe('released');
    });
  });
}
