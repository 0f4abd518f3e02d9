/** The streaming core on the memory store and the in-process bus: frames, holds, aborts. */
import { describe, expect, it } from 'vitest';
import { MemoryTaskStore } from '../../../adapters/memory/memory-task-store';
import {
  busTaskWatcher,
  TaskChangeBus,
  withChangeNotifications,
} from '../../../adapters/memory/task-change-bus';
import { TaskState } from '../../../core/a2a/task-state';
import { systemClock } from '../../../core/ports/clock';
import { applyEvents, type TaskEvent, type TaskRecord } from '../../../core/task-record';
import { framesOf, type StreamFrame } from '../../../core/use-cases/stream-frames';
import { newTaskFrames, resumeAfter, tailFrames } from '../../../core/use-cases/task-stream';
import { agentMessage, ctx, newTask, textArtifact } from '../../support/factories';

function setup() {
  const bus = new TaskChangeBus();
  const store = withChangeNotifications(new MemoryTaskStore(), bus);
  const deps = { store, watcher: busTaskWatcher(bus, store, 20), clock: systemClock };
  const c = ctx();
  let record: TaskRecord;
  return {
    bus,
    deps,
    c,
    async create() {
      const input = newTask();
      record = (await store.create(c, input)).task;
      return record;
    },
    async append(...events: TaskEvent[]) {
      const { next, stored } = applyEvents(record, events, new Date().toISOString());
      record = await store.commit(c, {
        taskId: record.id,
        expectedVersion: record.version,
        next,
        events: stored,
      });
    },
  };
}

const status = (state: TaskState): TaskEvent => ({
  kind: 'status',
  status: { state, timestamp: new Date().toISOString() },
});

async function collect(frames: AsyncGenerator<StreamFrame>): Promise<StreamFrame[]> {
  const out: StreamFrame[] = [];
  for await (const f of frames) out.push(f);
  return out;
}

describe('tailFrames', () => {
  it('yields the log after a seq, waits for live entries, and ends on the closing state', async () => {
    const s = setup();
    const task = await s.create();
    await s.append(status(TaskState.Working));
    const frames = collect(tailFrames(s.deps, s.c, task, 1, new AbortController().signal));
    await s.append({ kind: 'artifact', artifact: textArtifact('a') }, status(TaskState.InputRequired));
    const got = await frames;
    expect(got.map((f) => f.seq)).toEqual([2, 3, 4]);
    expect(got.map((f) => f.final)).toEqual([false, false, true]);
  });

  it('stops at once on abort and leaves no waiter on the bus', async () => {
    const s = setup();
    const task = await s.create();
    const abort = new AbortController();
    const frames = collect(tailFrames(s.deps, s.c, task, 1, abort.signal, { waitSliceMs: 60_000 }));
    for (let i = 0; i < 100 && s.bus.waiting === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(s.bus.waiting).toBe(1);
    abort.abort();
    expect(await frames).toEqual([]);
    expect(s.bus.waiting).toBe(0);
  });
});

describe('newTaskFrames', () => {
  it('answers a direct reply with only the message frame', async () => {
    const s = setup();
    const task = await s.create();
    const frames = collect(
      newTaskFrames(s.deps, s.c, task, new AbortController().signal, { directReplyWaitMs: 5_000 }),
    );
    await s.append(status(TaskState.Working));
    await s.append({ kind: 'message', message: agentMessage('hi') });
    const got = await frames;
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ seq: 3, final: true, response: { message: { parts: [{ text: 'hi' }] } } });
  });

  it('starts with the created task once the wait for a direct reply runs out', async () => {
    const s = setup();
    const task = await s.create();
    const abort = new AbortController();
    const iterator = newTaskFrames(s.deps, s.c, task, abort.signal, { directReplyWaitMs: 0 });
    const first = await iterator.next();
    expect(first.value).toMatchObject({ seq: 1, final: false, response: { task: { id: task.id } } });
    abort.abort();
    await iterator.return(undefined);
  });
});

describe('framesOf and resumeAfter', () => {
  it('turns a direct reply after the snapshot into a message and a closing COMPLETED status', () => {
    const message = agentMessage('late');
    const frames = framesOf(
      { id: 't', contextId: 'c' },
      { seq: 7, at: '2026-01-01T00:00:00.000Z', event: { kind: 'message', message } },
    );
    expect(frames).toEqual([
      { seq: 7, final: false, response: { message } },
      {
        seq: 7,
        final: true,
        response: {
          statusUpdate: {
            taskId: 't',
            contextId: 'c',
            status: { state: 'TASK_STATE_COMPLETED', timestamp: '2026-01-01T00:00:00.000Z' },
          },
        },
      },
    ]);
  });

  it('closes streams at AUTH_REQUIRED as at INPUT_REQUIRED', () => {
    const [frame] = framesOf(
      { id: 't', contextId: 'c' },
      { seq: 2, at: 'x', event: status(TaskState.AuthRequired) },
    );
    expect(frame?.final).toBe(true);
  });

  it('refuses a Last-Event-ID ahead of the log, and one past the end of a terminal task', async () => {
    const s = setup();
    const task = await s.create();
    expect(() => resumeAfter(task, 2)).toThrow(/ahead/);
    expect(resumeAfter(task, 1)).toBe(1);
    expect(() => resumeAfter({ ...task, status: { state: TaskState.Completed } }, 1)).toThrow(/delivered/);
  });
});
