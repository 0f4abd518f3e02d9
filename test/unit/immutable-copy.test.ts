import { describe, expect, it } from 'vitest';
import { immutableCopy } from '../../adapters/memory/immutable-copy';

describe('immutableCopy', () => {
  it('returns a deep-frozen copy and leaves the original alone', () => {
    const original = { a: [{ b: 1 }, 'x'], c: { d: null, e: undefined } };
    const copy = immutableCopy(original);
    expect(copy).toEqual(original);
    expect(copy).not.toBe(original);
    expect(Object.isFrozen(copy) && Object.isFrozen(copy.a) && Object.isFrozen(copy.a[0])).toBe(true);
    expect(Object.isFrozen(original) || Object.isFrozen(original.a[0])).toBe(false);
  });

  it('shares the deep-frozen parts of a value and copies the rest', () => {
    const kept = immutableCopy({ parts: [{ text: 'kept' }] });
    const copy = immutableCopy({ history: [kept, { parts: [{ text: 'new' }] }] });
    expect(copy.history[0]).toBe(kept);
    expect(immutableCopy(copy)).toBe(copy);
  });

  it('copies a frozen object whose parts are not frozen', () => {
    const inner = { text: 'mutable' };
    const shallow = Object.freeze({ inner });
    const copy = immutableCopy(shallow);
    expect(copy).not.toBe(shallow);
    inner.text = 'changed';
    expect(copy.inner.text).toBe('mutable');
  });
});
