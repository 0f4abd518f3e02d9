/**
 * One convention for error classes in product code: the name ends in `Error`, and the class has a
 * stable code as jose's errors do — `static code = 'ERR_…'` mirrored on the instance — or, for an
 * A2AError, its ErrorInfo `reason`. QueueRequestError alone keeps SQS's own error names as codes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RetryableError } from '../../core/errors';
import { LeaseLostError, RunContinuesLaterError } from '../../workers/agent-worker/run-errors';

const ROOTS = ['core', 'adapters', 'workers', 'gateway', 'authorizer', 'scripts'];
const SQS_NAMED = new Set(['QueueRequestError']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

interface ErrorClass {
  file: string;
  name: string;
  body: string;
}

/** Every class that extends Error or another error class (their names end in Error). */
const errorClasses: ErrorClass[] = ROOTS.flatMap(sources).flatMap((file) => {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/class (\w+) extends (\w*Error)\b[^{]*\{([\s\S]*?)\n\}/g)].map((m) => ({
    file,
    name: m[1] ?? '',
    body: m[3] ?? '',
  }));
});

const codeOf = (c: ErrorClass): string | undefined =>
  /static (?:override )?readonly code(?:: string)? = '([A-Z_]+)'/.exec(c.body)?.[1];

describe('error classes', () => {
  it('finds the error classes of the product code', () => {
    expect(errorClasses.length).toBeGreaterThan(30);
  });

  it('name every error class with the Error suffix', () => {
    expect(errorClasses.filter((c) => !c.name.endsWith('Error')).map((c) => `${c.file}: ${c.name}`)).toEqual(
      [],
    );
  });

  it('give every error class a stable code (or an ErrorInfo reason)', () => {
    const missing = errorClasses.filter(
      (c) => !SQS_NAMED.has(c.name) && codeOf(c) === undefined && !/readonly reason\b/.test(c.body),
    );
    expect(missing.map((c) => `${c.file}: ${c.name}`)).toEqual([]);
  });

  it('keep the codes ERR_-prefixed and distinct', () => {
    const codes = errorClasses.map(codeOf).filter((c) => c !== undefined);
    expect(codes.filter((c) => !c.startsWith('ERR_'))).toEqual([]);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('mirror the class code on the instance, a subclass overriding its base', () => {
    expect(new LeaseLostError('x').code).toBe('ERR_LEASE_LOST');
    expect(LeaseLostError.code).toBe('ERR_LEASE_LOST');
    const later = new RunContinuesLaterError(5, 'later');
    expect(later).toBeInstanceOf(RetryableError);
    expect([later.code, later.name]).toEqual([RunContinuesLaterError.code, 'RunContinuesLaterError']);
    expect(new RetryableError('x').code).toBe('ERR_RETRYABLE');
  });
});
