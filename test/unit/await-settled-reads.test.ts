/** A blocking wait reads the task once per change: the watcher hands over the record it read. */
import { describe, expect, it } from 'vitest';
import { MemoryTaskStore } from '../../adapters/memory/memory-task-store';
import {
  busTaskWatcher,
  TaskChangeBus,
  withChangeNotifications,
} from '../../adapters/memory/task-change-bus';
import { pollingTaskWatcher } from '../../adapters/polling/polling-task-watcher';
import { TaskState } from '../../core/a2a/task-state';
import { isoAt } from '../../core/ports/clock';
import type { TaskStore } from '../../core/ports/task-store';
import type { TaskWatcher } from '../../core/ports/task-watcher';
import { applyEvents } from '../../core/task-record';
import { awaitSettled } from '../../core/use-cases/await-settled';
import { ctx, newTask, testClock } from '../support/factories';

function countingGets(store: TaskStore): { store: TaskStore; gets: () => number } {
  let gets = 0;
  const counted = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== 'get') return typeof value === 'function' ? value.bind(target) : value;
      return (...args: Parameters<TaskStore['get']>) => {
        gets += 1;
        return target.get(...args);
      };
    },
  });
  return { store: counted, gets: () => gets };
}

const watchers: [string, (bus: TaskChangeBus, store: TaskStore) => TaskWatcher][] = [
  ['the change bus', (bus, store) => busTaskWatcher(bus, store)],
  ['polling', (_bus, store) => pollingTaskWatcher(store, { minMs: 50, maxMs: 50 })],
];

describe('awaitSettled reads', () => {
  for (const [name, makeWatcher] of watchers) {
    it(`reads a task that settles in one commit once, through ${name}`, async () => {
      const clock = testClock();
      const bus = new TaskChangeBus();
      const me = ctx();
      const { store, gets } = countingGets(withChangeNotifications(new MemoryTaskStore(clock), bus));
      const input = newTask({ tenant: me.principal.tenant });
      await store.create(me, input);
      const waiting = awaitSettled({ store, watcher: makeWatcher(bus, store), clock }, me, input.task, 5_000);
      const { next, stored } = applyEvents(
        input.task,
        [{ kind: 'status', status: { state: TaskState.Completed } }],
        isoAt(clock.now()),
      );
      await store.commit(me, { taskId: input.task.id, expectedVersion: 1, next, events: stored });
      expect((await waiting).status.state).toBe(TaskState.Completed);
      expect(gets()).toBe(1);
    });
  }
});
