import { describe, expect, it } from 'vitest';
import { advance, covered } from '../../../workers/agent-worker/task-log';

const key = (step: number, source: string, ordinal: number) => ({ step, source, ordinal });

describe('the event cursor', () => {
  it('covers nothing before the first commit', () => {
    expect(covered(undefined, key(0, 'tok:agent', 0))).toBe(false);
  });

  it('covers earlier steps entirely and the counted ordinals of its own step', () => {
    const cursor = { turn: 'm1', step: 4, counts: { 'tok:agent': 2 } };
    expect(covered(cursor, key(3, 'upd:tools', 7))).toBe(true);
    expect(covered(cursor, key(4, 'tok:agent', 1))).toBe(true);
    expect(covered(cursor, key(4, 'tok:agent', 2))).toBe(false);
    expect(covered(cursor, key(4, 'upd:agent', 0))).toBe(false);
    expect(covered(cursor, key(5, 'tok:agent', 0))).toBe(false);
  });

  it('starts counting afresh at a later step and keeps the asked interrupt', () => {
    let cursor = advance(undefined, key(4, 'tok:agent', 0), 'm1');
    cursor = advance(cursor, key(4, 'int', 0), 'm1', 'i-1');
    const interrupt = { id: 'i-1', turn: 'm1', asks: 1 };
    expect(cursor).toEqual({ turn: 'm1', step: 4, counts: { 'tok:agent': 1, int: 1 }, interrupt });
    expect(advance(cursor, key(6, 'upd:tools', 0), 'm2')).toEqual({
      turn: 'm2',
      step: 6,
      counts: { 'upd:tools': 1 },
      interrupt,
    });
  });

  it('counts how often the same interrupt is asked, and starts over for another one', () => {
    const once = advance(undefined, key(4, 'int', 0), 'm1', 'i-1');
    const twice = advance(once, key(4, 'int', 1), 'm2', 'i-1');
    expect(twice.interrupt).toEqual({ id: 'i-1', turn: 'm2', asks: 2 });
    expect(advance(twice, key(7, 'int', 0), 'm3', 'i-2').interrupt).toEqual({
      id: 'i-2',
      turn: 'm3',
      asks: 1,
    });
  });

  it('never lowers a count when an older ordinal is committed again', () => {
    const cursor = { turn: 'm1', step: 2, counts: { cus: 5 } };
    expect(advance(cursor, key(2, 'cus', 1), 'm1').counts.cus).toBe(5);
  });
});
