/** TaskStore contract: the push dispatcher's one read of a task (PushDispatchReads). */
import { describe, expect, it } from 'vitest';
import { pushConfig, textArtifact } from '../support/factories';
import { type MakeTaskStore, useHarness } from './task-store-harness';

export function pushReadContract(make: MakeTaskStore): void {
  describe('push dispatch read', () => {
    const h = useHarness(make);

    /** A task with two configs and `artifacts` artifact events after its first event. */
    async function taskWithLog(artifacts: number) {
      const { task } = await h.create();
      await h.store.putPushConfig(h.me, task.id, pushConfig(task.id, { id: 'b' }));
      await h.store.putPushConfig(h.me, task.id, pushConfig(task.id, { id: 'a' }));
      for (let i = 0; i < artifacts; i++)
        await h.append(task.id, [{ kind: 'artifact', artifact: textArtifact(`a${i}`) }]);
      return task.id;
    }

    it('returns the task, its configs and the events after a seq, as the single reads do', async () => {
      const taskId = await taskWithLog(3);
      const read = await h.store.readForDispatch(h.me, taskId, 1, 10);
      expect(read?.task).toEqual(await h.store.get(h.me, taskId));
      expect(read?.configs).toEqual(await h.store.listPushConfigs(h.me, taskId));
      expect(read?.configs.map((c) => c.config.id)).toEqual(['a', 'b']);
      expect(read?.events).toEqual(await h.store.readEvents(h.me, taskId, 1));
      expect(read?.events.map((e) => e.seq)).toEqual([2, 3, 4]);
    });

    it('reads at most limit events of a long log, and still the configs and the task', async () => {
      const taskId = await taskWithLog(30);
      const read = await h.store.readForDispatch(h.me, taskId, 2, 5);
      expect(read?.events.map((e) => e.seq)).toEqual([3, 4, 5, 6, 7]);
      expect(read?.configs.map((c) => c.config.id)).toEqual(['a', 'b']);
      expect(read?.task.version).toBe(31);
      const tail = await h.store.readForDispatch(h.me, taskId, 28, 5);
      expect(tail?.events.map((e) => e.seq)).toEqual([29, 30, 31]);
    });

    it('reads no events without a seq or past the last one, and leaves out a deleted config', async () => {
      const taskId = await taskWithLog(1);
      await h.store.deletePushConfig(h.me, taskId, 'b');
      const read = await h.store.readForDispatch(h.me, taskId, undefined, 10);
      expect(read?.events).toEqual([]);
      expect(read?.configs.map((c) => c.config.id)).toEqual(['a']);
      expect((await h.store.readForDispatch(h.me, taskId, 2, 10))?.events).toEqual([]);
    });

    it('finds nothing for an unknown task or a task of another tenant', async () => {
      const taskId = await taskWithLog(1);
      expect(await h.store.readForDispatch(h.me, 'no-such-task', 0, 10)).toBeUndefined();
      expect(await h.store.readForDispatch(h.other, taskId, 0, 10)).toBeUndefined();
    });
  });
}
