/**
 * A run's WORKING shares the commit of the agent's first events (one transaction and one push
 * trigger less per task), and is committed alone when the agent stays silent for the lead time.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryTaskStore } from '../../../adapters/memory/memory-task-store';
import { TaskState } from '../../../core/a2a/task-state';
import type { CommitInput } from '../../../core/ports/task-records';
import type { TaskStore } from '../../../core/ports/task-store';
import { runTask, WORKING_LEAD_MS } from '../../../workers/agent-worker/run-task';
import { TaskLog } from '../../../workers/agent-worker/task-log';
import { ctx, testClock } from '../../support/factories';
import { echoWorkFor, submitTask } from '../../support/worker-fixtures';

/** The store, recording the states and event kinds of every commit. */
function recordingStore(): { store: TaskStore; commits: string[][] } {
  const clock = testClock();
  const inner = new MemoryTaskStore(clock);
  const commits: string[][] = [];
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== 'commit') return typeof value === 'function' ? value.bind(target) : value;
      return (c: Parameters<TaskStore['commit']>[0], input: CommitInput) => {
        commits.push(
          input.events.map((e) => (e.event.kind === 'status' ? e.event.status.state : e.event.kind)),
        );
        return inner.commit(c, input);
      };
    },
  });
  return { store, commits };
}

describe('WORKING led into the first commit', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("commits a run's WORKING together with the agent's first events (an echo: all of them)", async () => {
    const { store, commits } = recordingStore();
    const clock = testClock();
    const me = ctx();
    const { deps, work } = await echoWorkFor(store, clock, me);
    expect(await runTask(deps, work)).toBe('done');
    // the echo answers at once: its artifact and final status come in the same turn of the event loop
    expect(commits).toEqual([[TaskState.Working, 'artifact', TaskState.Completed]]);
    const events = await store.readEvents(me, work.taskId, 0);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect((await store.get(me, work.taskId))?.status.state).toBe(TaskState.Completed);
  });

  it('commits a led WORKING alone once the agent stayed silent for the lead time', async () => {
    // setImmediate stays real: the log's first commit waits one turn of the event loop for more events
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const { store, commits } = recordingStore();
    const clock = testClock();
    const me = ctx();
    const work = await submitTask(store, me, 'echo', 'hi', clock);
    const task = await store.get(me, work.taskId);
    if (!task) throw new Error('no task');
    const log = new TaskLog({ store, clock, settings: { retentionSeconds: 60 } }, me, task, 'turn');
    log.lead(log.status(TaskState.Working), WORKING_LEAD_MS);
    await vi.advanceTimersByTimeAsync(WORKING_LEAD_MS - 1);
    expect(commits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await log.idle();
    expect(commits).toEqual([[TaskState.Working]]);
    expect(log.task.status.state).toBe(TaskState.Working);
  });

  it('drops a led WORKING the run ended without', async () => {
    vi.useFakeTimers();
    const { store, commits } = recordingStore();
    const clock = testClock();
    const me = ctx();
    const work = await submitTask(store, me, 'echo', 'hi', clock);
    const task = await store.get(me, work.taskId);
    if (!task) throw new Error('no task');
    const log = new TaskLog({ store, clock, settings: { retentionSeconds: 60 } }, me, task, 'turn');
    log.lead(log.status(TaskState.Working), WORKING_LEAD_MS);
    log.discardLead();
    await vi.advanceTimersByTimeAsync(WORKING_LEAD_MS * 2);
    await log.idle();
    expect(commits).toEqual([]);
  });
});
