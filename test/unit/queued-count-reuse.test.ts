/**
 * The local stack's gateway reuses a tenant's queued-work count for a moment (decision 75): the
 * reused figure is the count plus the sends asked about since, it is used only below half the
 * cap and for at most maxAgeMs, so a send is never refused on it.
 */
import { describe, expect, it } from 'vitest';
import { MemoryTaskStore } from '../../adapters/memory/memory-task-store';
import { QueuedCountReuse, withQueuedCountReuse } from '../../adapters/shared/queued-count-reuse';
import type { RequestContext } from '../../core/context';
import type { QueuedTaskCount } from '../../core/ports/run-control';
import { ctx, newTask, testClock } from '../support/factories';

function countingStore(initial: Record<string, number>) {
  const queued = new Map(Object.entries(initial));
  const asked: string[] = [];
  const store: QueuedTaskCount = {
    async countQueued(c: RequestContext, limit: number) {
      asked.push(c.principal.tenant);
      return Math.min(queued.get(c.principal.tenant) ?? 0, limit);
    },
  };
  return { store, asked, queued };
}

const a = ctx('tenant-a');
const b = ctx('tenant-b');

describe('QueuedCountReuse', () => {
  it('answers from the last count plus the sends since, without asking the store', async () => {
    const { store, asked } = countingStore({ 'tenant-a': 3 });
    const reuse = new QueuedCountReuse(store, testClock(), 1_000);
    expect(await reuse.countQueued(a, 100)).toBe(3);
    expect(await reuse.countQueued(a, 100)).toBe(4);
    expect(await reuse.countQueued(a, 100)).toBe(5);
    expect(asked).toEqual(['tenant-a']);
  });

  it('counts again once the last count is maxAgeMs old', async () => {
    const { store, asked, queued } = countingStore({ 'tenant-a': 3 });
    const clock = testClock();
    const reuse = new QueuedCountReuse(store, clock, 1_000);
    await reuse.countQueued(a, 100);
    clock.advance(999);
    expect(await reuse.countQueued(a, 100)).toBe(4);
    queued.set('tenant-a', 0);
    clock.advance(1);
    expect(await reuse.countQueued(a, 100)).toBe(0);
    expect(asked).toHaveLength(2);
  });

  it('counts every send once the figure reaches half the cap, so only a fresh count refuses', async () => {
    const { store, asked, queued } = countingStore({ 'tenant-a': 2 });
    const reuse = new QueuedCountReuse(store, testClock(), 60_000);
    const limit = 8;
    const answers: number[] = [];
    for (let i = 0; i < 8; i++) {
      answers.push(await reuse.countQueued(a, limit));
      queued.set('tenant-a', (queued.get('tenant-a') ?? 0) + 1); // each admitted send queues a task
    }
    // 2 and 3 (reused) are below 4; from then on every answer is the store's own count
    expect(answers).toEqual([2, 3, 4, 5, 6, 7, 8, 8]);
    expect(asked).toHaveLength(7);
  });

  it('answers concurrent sends from one count, each with the sends that shared it before', async () => {
    const { store, asked, queued } = countingStore({ 'tenant-a': 0 });
    const reuse = new QueuedCountReuse(store, testClock(), 1_000);
    const answers = await Promise.all(Array.from({ length: 8 }, () => reuse.countQueued(a, 10)));
    expect(answers.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(asked).toHaveLength(1);
    // all eight were admitted: the figure (0 + 8) is past half the cap, so the store counts again
    queued.set('tenant-a', 8);
    expect(await reuse.countQueued(a, 10)).toBe(8);
    expect(asked).toHaveLength(2);
  });

  it('keeps tenants apart', async () => {
    const { store, asked } = countingStore({ 'tenant-a': 1, 'tenant-b': 40 });
    const reuse = new QueuedCountReuse(store, testClock(), 1_000);
    expect(await reuse.countQueued(a, 100)).toBe(1);
    expect(await reuse.countQueued(b, 100)).toBe(40);
    expect(await reuse.countQueued(a, 100)).toBe(2);
    expect(await reuse.countQueued(b, 100)).toBe(41);
    expect(asked).toEqual(['tenant-a', 'tenant-b']);
  });
});

describe('withQueuedCountReuse', () => {
  it('reuses the count and leaves every other member of the store as it is', async () => {
    const store = new MemoryTaskStore(testClock());
    const wrapped = withQueuedCountReuse(store, testClock(), 1_000);
    await wrapped.create(a, newTask({ tenant: 'tenant-a' }));
    expect(await wrapped.countQueued(a, 100)).toBe(1);
    await wrapped.create(a, newTask({ tenant: 'tenant-a' }));
    await wrapped.create(a, newTask({ tenant: 'tenant-a' }));
    expect(await store.countQueued(a, 100)).toBe(3);
    // reused: the first count plus the one send asked about since, not a second count
    expect(await wrapped.countQueued(a, 100)).toBe(2);
    expect(wrapped.size).toBe(3);
  });
});
