/** The price of a blocking SendMessage's wait, as the store-cost bench section reports it. */
import { describe, expect, it } from 'vitest';
import { blockingWaitCost, pollsWhileWaiting } from '../../scripts/bench/blocking-cost';

describe('the cost of waiting in a blocking SendMessage', () => {
  it('counts the polling watcher’s reads: 25 ms doubling to 500 ms, then two a second', () => {
    // 25 + 50 + 100 + 200 + 400 = 775 ms, then 500 ms apart
    expect(pollsWhileWaiting(0.5)).toBe(4);
    expect(pollsWhileWaiting(1)).toBe(5);
    expect(pollsWhileWaiting(10)).toBe(5 + Math.floor((10_000 - 775) / 500));
  });

  it('prices the held gateway by the GB-second and the polls by read unit', () => {
    const c = blockingWaitCost(10, 1024, 1);
    expect(c.lambda).toBeCloseTo(166.667, 2);
    expect(c.reads).toBeCloseTo(pollsWhileWaiting(10) * 0.25, 6);
    expect(blockingWaitCost(10, 512, 1).lambda).toBeCloseTo(c.lambda / 2, 6);
  });
});
