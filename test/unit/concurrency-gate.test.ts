import { describe, expect, it } from 'vitest';
import { concurrencyGate } from '../../core/use-cases/concurrency-gate';

describe('the concurrency gate', () => {
  it('runs at most its limit at once and lets the others in, in arrival order, as places free up', async () => {
    const gate = concurrencyGate(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const calls = [0, 1, 2, 3, 4].map((n) =>
      gate.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        order.push(n);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
        return n;
      }),
    );
    const settle = () => new Promise((r) => setImmediate(r));
    await settle();
    expect(order).toEqual([0, 1]);
    while (releases.length > 0) {
      releases.shift()?.();
      await settle();
    }
    expect(await Promise.all(calls)).toEqual([0, 1, 2, 3, 4]);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it('frees its place when a call fails', async () => {
    const gate = concurrencyGate(1);
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'next')).toBe('next');
  });
});
