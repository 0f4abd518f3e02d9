/**
 * Logged errors keep readable types in the minified Lambda bundles: the type comes from each
 * error's `name`, not its constructor's (a minifier renames classes; README decision 87).
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/logging/logger';

/** What a minified bundle makes of `class TaskNotFoundError extends Error`: a class named `e`. */
const minified = (name: string) =>
  class e extends Error {
    override readonly name = name;
  };

function logLines(): { lines: Record<string, unknown>[]; destination: Writable } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { lines, destination };
}

describe('logged error types', () => {
  it("take the error's name, not its constructor's; its cause is named in the stack", () => {
    const { lines, destination } = logLines();
    const log = createLogger({ level: 'info', destination });
    const Inner = minified('ConditionalCheckFailedException');
    const Outer = minified('TaskNotFoundError');
    log.warn({ err: new Outer('not found', { cause: new Inner('condition') }) }, 'failed');
    const err = (lines[0] as { err: { type: string; message: string; stack: string } }).err;
    expect(Outer.name).toBe('e');
    expect(err.type).toBe('TaskNotFoundError');
    expect(err.message).toBe('not found: condition');
    expect(err.stack).toMatch(/^TaskNotFoundError: not found\n/);
    expect(err.stack).toContain('caused by: ConditionalCheckFailedException: condition');
  });

  it('keeps the type of an error whose class and name agree', () => {
    const { lines, destination } = logLines();
    createLogger({ level: 'info', destination }).error(new TypeError('bad'));
    expect((lines[0] as { err: { type: string } }).err.type).toBe('TypeError');
  });
});
