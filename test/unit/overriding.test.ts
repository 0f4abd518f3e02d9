/** The decorators' one mechanism (adapters/shared/overriding.ts). */
import { describe, expect, it } from 'vitest';
import { overriding } from '../../adapters/shared/overriding';

class Counter {
  n = 0;
  get doubled(): number {
    return this.n * 2;
  }
  add(by: number): number {
    this.n += by;
    return this.n;
  }
  name(): string {
    return 'counter';
  }
}

describe('overriding', () => {
  it('answers the named members from the overrides and every other one from the target', () => {
    const target = new Counter();
    const decorated = overriding(target, { name: () => 'decorated' });
    expect(decorated.name()).toBe('decorated');
    expect(decorated.add(3)).toBe(3);
    expect(target.n).toBe(3);
    expect(decorated.doubled).toBe(6);
    expect(target.name()).toBe('counter');
  });

  it('hands out the same override on every read, built once', () => {
    const decorated = overriding(new Counter(), { add: (by: number) => by });
    expect(decorated.add).toBe(decorated.add);
    expect(decorated.add(5)).toBe(5);
  });
});
