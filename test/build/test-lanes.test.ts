/**
 * The two vitest projects (vitest.config.ts) split the suite without losing a file: every test
 * file belongs to exactly one project, so `vitest run` runs each once; and no file of the fast
 * lane reaches, through its relative imports, the local services that only the `services`
 * project's global setup starts (DynamoDB Local, moto).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVitest } from 'vitest/node';

const root = resolve(import.meta.dirname, '../..');

const testFiles = (): string[] =>
  readdirSync(join(root, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/${f.split('\\').join('/')}`)
    .sort();

/** Files per project, as vitest itself globs them from vitest.config.ts (no run, no setup). */
async function filesByProject(): Promise<Map<string, string[]>> {
  const vitest = await createVitest('test', { config: join(root, 'vitest.config.ts'), watch: false });
  try {
    const byProject = new Map<string, string[]>();
    for (const spec of await vitest.globTestSpecifications()) {
      const name = spec.project.name;
      byProject.set(name, [...(byProject.get(name) ?? []), relative(root, spec.moduleId)]);
    }
    return byProject;
  } finally {
    await vitest.close();
  }
}

/** What marks a module as needing the emulators: the injected endpoints or their start helpers. */
const NEEDS_SERVICES = [
  /inject\(\s*'(dynamoEndpoint|motoEndpoint)'/,
  /from '[^']*support\/(moto|dynamo-local)[^/']*'/,
];

const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g;

/** The repository files `file` reaches through relative imports, itself included. */
function reachable(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(join(root, file), 'utf8');
  for (const [, spec] of source.matchAll(RELATIVE_IMPORT)) {
    if (!spec) continue;
    const base = relative(root, resolve(root, dirname(file), spec));
    const target = [base, `${base}.ts`, `${base}/index.ts`].find(
      (f) => f.endsWith('.ts') && existsSync(join(root, f)),
    );
    if (target) reachable(target, seen);
  }
  return seen;
}

describe('test lanes (vitest projects)', () => {
  it('puts every test file in exactly one project, and the unit suite in the fast one', async () => {
    const byProject = await filesByProject();
    expect([...byProject.keys()].sort()).toEqual(['fast', 'services']);
    const listed = [...byProject.values()].flat().sort();
    expect(listed).toEqual(testFiles());
    expect(new Set(listed).size).toBe(listed.length);
    expect(byProject.get('fast')).toEqual(
      expect.arrayContaining(testFiles().filter((f) => f.startsWith('test/unit/'))),
    );
  });

  it('keeps the fast lane off DynamoDB Local and moto, and the services lane on them', async () => {
    const byProject = await filesByProject();
    const needsServices = (file: string) =>
      [...reachable(file)].filter((m) =>
        NEEDS_SERVICES.some((re) => re.test(readFileSync(join(root, m), 'utf8'))),
      );
    const offenders = (byProject.get('fast') ?? []).flatMap((f) =>
      needsServices(f).map((m) => `${f} -> ${m}`),
    );
    expect(offenders).toEqual([]);
    // The detector sees the files that do use them (it would otherwise pass vacuously).
    expect(needsServices('test/integration/dynamo-task-store.test.ts')).not.toEqual([]);
    expect(needsServices('test/integration/sqs-work-queue.test.ts')).not.toEqual([]);
  });
});
