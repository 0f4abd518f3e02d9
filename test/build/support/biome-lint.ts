/**
 * Lints small fixture files with the repository's own biome.json, in a throwaway project under
 * the OS temp dir laid out like the repository (core/, gateway/, ...), so the overrides' paths
 * apply as they do here and nothing is ever written into the working tree. Only `$schema` and
 * `vcs` are left out of the copy (the temp dir is no git repository); every rule and override is
 * the real one, so loosening a rule in biome.json makes the tests that use this fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const REPO_ROOT = new URL('../../../', import.meta.url).pathname;
const BIOME = join(REPO_ROOT, 'node_modules/@biomejs/biome/bin/biome');

export interface LintDiagnostic {
  /** e.g. `lint/style/noRestrictedImports` */
  category: string;
  /** relative to the fixture project's root, e.g. `core/x.ts` */
  path: string;
  line: number;
  message: string;
}

interface JsonReport {
  diagnostics: {
    category?: string;
    message: string;
    location?: { path?: string; start?: { line: number } };
  }[];
}

/** Lints `files` (path relative to the repository layout -> source) and returns every diagnostic. */
export function lintFixtures(files: Record<string, string>): LintDiagnostic[] {
  const dir = mkdtempSync(join(tmpdir(), 'a2a-lint-'));
  try {
    const {
      $schema: _schema,
      vcs: _vcs,
      ...config
    } = JSON.parse(readFileSync(join(REPO_ROOT, 'biome.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'biome.json'), JSON.stringify(config));
    for (const [path, source] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), source);
    }
    const run = spawnSync(
      process.execPath,
      [BIOME, 'lint', '--reporter=json', '--max-diagnostics=none', ...Object.keys(files)],
      { cwd: dir, encoding: 'utf8', timeout: 60_000 },
    );
    if (!run.stdout.trim()) throw new Error(`biome printed no report: ${run.stderr}`);
    const report = JSON.parse(run.stdout) as JsonReport;
    return report.diagnostics.map((d) => ({
      category: d.category ?? '',
      path: d.location?.path ?? '',
      line: d.location?.start?.line ?? 0,
      message: d.message,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `path:line` of each diagnostic of one rule (e.g. `noImportCycles`), sorted. */
export function hits(diagnostics: LintDiagnostic[], rule: string): string[] {
  return diagnostics
    .filter((d) => d.category.endsWith(`/${rule}`))
    .map((d) => `${d.path}:${d.line}`)
    .sort();
}
