import { afterEach, describe, expect, it, vi } from 'vitest';
import { immutableCopy } from '../../adapters/memory/immutable-copy';
import { storedItemBytes } from '../../adapters/memory/item-sizes';
import { MemoryTaskStore } from '../../adapters/memory/memory-task-store';
import { itemBytes } from '../../adapters/shared/item-size';
import { TaskState } from '../../core/a2a/task-state';
import { isoAt } from '../../core/ports/clock';
import { applyEvents, type TaskRecord } from '../../core/task-record';
import {
  agentMessage,
  ctx,
  newTask,
  taskRecord,
  testClock,
  textArtifact,
  userMessage,
} from '../support/factories';

afterEach(() => {
  vi.restoreAllMocks();
});

const odd = {
  id: 'x',
  text: 'héllo — 🙂 "quoted" \\ \n',
  none: undefined,
  fn: () => 1,
  nil: null,
  list: [1, undefined, 'a', null, { deep: [[], {}] }, () => 2],
  nested: { a: { b: { c: [{ d: 'ü' }] } }, when: new Date(0) },
  empty: {},
  emptyList: [],
};

describe('storedItemBytes', () => {
  it('counts what itemBytes counts, frozen or not, for records, events and odd values', () => {
    const record = taskRecord({
      history: [userMessage('héllo 🙂'), agentMessage('back')],
      artifacts: [textArtifact('a'), textArtifact('b')],
      metadata: { tag: 'x', n: 1 },
    });
    const event = {
      seq: 2,
      at: 'now',
      event: { kind: 'status', status: record.status, history: record.history },
    };
    for (const value of [record, event, odd, {}, { a: [] }]) {
      expect(storedItemBytes(value)).toBe(itemBytes(value));
      const frozen = immutableCopy(value);
      expect(storedItemBytes(frozen)).toBe(itemBytes(frozen));
      expect(storedItemBytes(frozen)).toBe(itemBytes(frozen)); // again, from the remembered parts
    }
  });

  it('does not serialize again the parts of a record that a commit left unchanged', async () => {
    const clock = testClock();
    const store = new MemoryTaskStore(clock);
    const me = ctx('tenant-a');
    const input = newTask({ tenant: 'tenant-a' }, userMessage('only-in-the-first-message'));
    await store.create(me, input);
    const current = (await store.get(me, input.task.id)) as TaskRecord;
    const { next, stored } = applyEvents(
      current,
      [
        { kind: 'status', status: { state: TaskState.Working } },
        { kind: 'artifact', artifact: textArtifact('new') },
      ],
      isoAt(clock.now()),
    );
    const serialized: string[] = [];
    const stringify = JSON.stringify;
    vi.spyOn(JSON, 'stringify').mockImplementation((...args: Parameters<typeof stringify>) => {
      const out = stringify(...args);
      serialized.push(String(out));
      return out;
    });
    await store.commit(me, { taskId: input.task.id, expectedVersion: 1, next, events: stored });
    expect(serialized.some((s) => s.includes('"new"'))).toBe(true);
    expect(serialized.filter((s) => s.includes('only-in-the-first-message'))).toEqual([]);
  });
});
