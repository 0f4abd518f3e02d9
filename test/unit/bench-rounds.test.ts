import { describe, expect, it } from 'vitest';
import { perRoundRatio, rotation } from '../../scripts/bench/bench-types';

describe('benchmark rounds', () => {
  it('rotates the order by one per round, so each item goes first in turn', () => {
    const items = ['a', 'b', 'c'];
    expect([0, 1, 2, 3].map((r) => rotation(items, r).join(''))).toEqual(['abc', 'bca', 'cab', 'abc']);
    expect(rotation([], 2)).toEqual([]);
    expect(items).toEqual(['a', 'b', 'c']);
  });

  it('takes the median of the ratios of the same round, not the ratio of the medians', () => {
    // medians 20 / 10 would say 2×; per round the first side is 1×, 1× and 4×
    expect(perRoundRatio([10, 20, 40], [10, 20, 10])).toBe(1);
    expect(perRoundRatio([30, 10], [10, 10])).toBe(2);
  });

  it('skips rounds where either side is missing or zero', () => {
    expect(perRoundRatio([10, Number.NaN, 30, 5], [5, 10, 0])).toBe(2);
    expect(perRoundRatio([], [])).toBeNaN();
  });
});
