/** TaskStore contract: push configs are owned by their subject and capped per task. */
import { describe, expect, it } from 'vitest';
import { PushConfigLimitError, PushConfigNotOwnedError } from '../../core/errors';
import { ctx, newTask, pushConfig } from '../support/factories';
import { type MakeTaskStore, useHarness } from './task-store-harness';

export function pushOwnerContract(make: MakeTaskStore): void {
  describe('push config ownership and cap', () => {
    const h = useHarness(make);
    /** another subject of the same tenant */
    const bob = () => ctx(h.me.principal.tenant, 'bob');
    const ids = async (taskId: string) =>
      (await h.store.listPushConfigs(h.me, taskId)).map((c) => c.config.id);

    it('lets only the owner replace or delete a config; others keep getting refused', async () => {
      const { task } = await h.create();
      const mine = pushConfig(task.id, { id: 'shared', url: 'https://alice.example.com/hook/s3cret' });
      await h.store.putPushConfig(h.me, task.id, mine);
      const hijack = {
        ...pushConfig(task.id, { id: 'shared', url: 'https://evil.example.com/' }),
        owner: 'bob',
      };
      await expect(h.store.putPushConfig(bob(), task.id, hijack)).rejects.toBeInstanceOf(
        PushConfigNotOwnedError,
      );
      await expect(h.store.deletePushConfig(bob(), task.id, 'shared')).rejects.toBeInstanceOf(
        PushConfigNotOwnedError,
      );
      expect(await h.store.getPushConfig(h.me, task.id, 'shared')).toEqual(mine);
      const replaced = pushConfig(task.id, { id: 'shared', url: 'https://alice.example.com/hook/new' });
      await h.store.putPushConfig(h.me, task.id, replaced);
      expect(await h.store.getPushConfig(h.me, task.id, 'shared')).toEqual(replaced);
      await h.store.deletePushConfig(bob(), task.id, 'no-such-config');
      await h.store.deletePushConfig(h.me, task.id, 'shared');
      expect(await ids(task.id)).toEqual([]);
    });

    it('refuses a new config past maxPerTask, counting inline ones; replacing and deleting keep the count', async () => {
      const input = newTask({ tenant: h.me.principal.tenant, hasPush: true });
      const taskId = input.task.id;
      await h.store.create(h.me, { ...input, pushConfigs: [pushConfig(taskId, { id: 'inline' })] });
      await h.store.putPushConfig(h.me, taskId, pushConfig(taskId, { id: 'second' }), 2);
      await expect(
        h.store.putPushConfig(h.me, taskId, pushConfig(taskId, { id: 'third' }), 2),
      ).rejects.toBeInstanceOf(PushConfigLimitError);
      await h.store.putPushConfig(
        h.me,
        taskId,
        pushConfig(taskId, { id: 'second', url: 'https://x.example.com/' }),
        2,
      );
      expect(await ids(taskId)).toEqual(['inline', 'second']);
      await h.store.deletePushConfig(h.me, taskId, 'inline');
      await h.store.deletePushConfig(h.me, taskId, 'inline');
      await h.store.putPushConfig(h.me, taskId, pushConfig(taskId, { id: 'third' }), 2);
      await expect(
        h.store.putPushConfig(h.me, taskId, pushConfig(taskId, { id: 'fourth' }), 2),
      ).rejects.toBeInstanceOf(PushConfigLimitError);
      expect(await ids(taskId)).toEqual(['second', 'third']);
    });

    it('holds the cap under concurrent creates', async () => {
      const { task } = await h.create();
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          h.store.putPushConfig(
            h.me,
            task.id,
            pushConfig(task.id, { id: `c${String(i).padStart(2, '0')}` }),
            3,
          ),
        ),
      );
      const refused = results.filter((r) => r.status === 'rejected');
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      for (const r of refused) expect(r.reason).toBeInstanceOf(PushConfigLimitError);
      expect(await ids(task.id)).toHaveLength(3);
    });
  });
}
