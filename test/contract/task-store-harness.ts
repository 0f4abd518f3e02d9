/** The per-test world of the TaskStore contract suite: a store, a clock, two tenants, helpers. */
import { beforeEach } from 'vitest';
import type { RequestContext } from '../../core/context';
import { isoAt } from '../../core/ports/clock';
import type { TaskStore } from '../../core/ports/task-store';
import { applyEvents, type TaskEvent, type TaskRecord } from '../../core/task-record';
import { ctx, type NewTask, newTask, type TestClock, uniqueId } from '../support/factories';

export interface TaskStoreFixture {
  store: TaskStore;
  clock: TestClock;
}

export type MakeTaskStore = () => Promise<TaskStoreFixture>;

export interface Harness extends TaskStoreFixture {
  /** a fresh tenant per test, so tests never see each other's tasks */
  me: RequestContext;
  /** another fresh tenant */
  other: RequestContext;
  /** creates a task in `me` (agent `echo`) and returns its input */
  create(overrides?: Partial<TaskRecord>): Promise<NewTask>;
  /** applies events to the stored task and commits them */
  append(taskId: string, events: TaskEvent[], tweak?: (next: TaskRecord) => void): Promise<TaskRecord>;
}

/** Call inside a describe: the returned object is refilled before each test. */
export function useHarness(make: MakeTaskStore): Harness {
  const h = {} as Harness;
  beforeEach(async () => {
    const { store, clock } = await make();
    const me = ctx(uniqueId('tenant'), 'alice');
    Object.assign(h, {
      store,
      clock,
      me,
      other: ctx(uniqueId('tenant'), 'mallory'),
      async create(overrides: Partial<TaskRecord> = {}) {
        const input = newTask({ tenant: me.principal.tenant, ...overrides });
        const result = await store.create(me, input);
        if (!result.created) throw new Error('test task was not created');
        return input;
      },
      async append(taskId: string, events: TaskEvent[], tweak?: (next: TaskRecord) => void) {
        const current = await store.get(me, taskId);
        if (!current) throw new Error(`task ${taskId} is missing`);
        const { next, stored } = applyEvents(current, events, isoAt(clock.now()));
        tweak?.(next);
        return store.commit(me, { taskId, expectedVersion: current.version, next, events: stored });
      },
    } satisfies Harness);
  });
  return h;
}
