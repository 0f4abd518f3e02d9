/**
 * The Lambda bundles are minified without keepNames, except where a library needs class names
 * (README decision 87). Errors must still say what they are in logs and in `err.name` checks:
 * each error class of core/errors.ts, bundled with the gateway's options, keeps its own name.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import * as sourceErrors from '../../core/errors';
import { LAMBDA_ENTRIES } from '../../deploy/lambda-entries';
import { lambdaBuildOptions } from '../../scripts/build';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Constructor arguments where none would throw; the others take none (or optional ones). */
const ARGUMENTS: Record<string, unknown[]> = { VersionNotSupportedError: ['0.9', ['1.0']] };

const errorClasses = (mod: Record<string, unknown>) =>
  Object.entries(mod).filter(
    (entry): entry is [string, new (...args: unknown[]) => Error] =>
      typeof entry[1] === 'function' && entry[1].prototype instanceof Error,
  );

describe('error names in the Lambda bundles', () => {
  it('keeps class names only in the bundle whose libraries need them (the agent worker)', () => {
    const kept = LAMBDA_ENTRIES.filter(
      (e) => lambdaBuildOptions(e.entry, '/tmp/unused').keepNames === true,
    ).map((e) => e.name);
    expect(kept).toEqual(['agent-worker']);
  });

  it("gives each error class of core/errors.ts its own name, minified as the gateway's bundle is", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'error-names-'));
    dirs.push(dir);
    const gateway = LAMBDA_ENTRIES.find((e) => e.name === 'gateway');
    const options = lambdaBuildOptions('core/errors.ts', dir);
    expect(options.keepNames).toBe(lambdaBuildOptions(gateway?.entry ?? '', dir).keepNames);
    await build(options);
    const bundled = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as Record<string, unknown>;
    const classes = errorClasses(bundled);
    expect(classes.map(([name]) => name).sort()).toEqual(
      errorClasses(sourceErrors as unknown as Record<string, unknown>)
        .map(([name]) => name)
        .sort(),
    );
    const minified = classes.filter(([name, cls]) => cls.name !== name).map(([name]) => name);
    expect(minified.length, 'the bundle renamed the classes (else this test proves nothing)').toBeGreaterThan(
      0,
    );
    // A2AError is abstract: only its subclasses are thrown
    for (const [name, cls] of classes.filter(([n]) => n !== 'A2AError'))
      expect(Reflect.construct(cls, ARGUMENTS[name] ?? []).name, name).toBe(name);
  });
});
