/**
 * The env variable names a Lambda entry's own code reads, found two ways and joined:
 *   - at load time: env-probe.ts imports the entry with a recording process.env;
 *   - in the code: EnvReader calls (`r.int('NAME', …)`) in the project part of its bundle,
 *     which also finds names read only on some branches (e.g. BEDROCK_MODEL_ID).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LambdaEntry } from '../../../deploy/lambda-entries';
import { bundleForAnalysis, projectCode, REPO_ROOT } from '../../terraform/support/sdk-actions';

const ENV_READER_CALL = /\.(?:string|optional|int|bool|oneOf|url|list)\(\s*"([A-Z][A-Z0-9_]*)"/g;

export async function envReadAtLoad(entry: LambdaEntry): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'test/build/support/env-probe.ts'), join(REPO_ROOT, entry.entry)],
    { cwd: REPO_ROOT, timeout: 60_000, maxBuffer: 4 * 1024 * 1024 },
  );
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '[]') as string[];
}

export async function envReadInCode(entry: LambdaEntry): Promise<string[]> {
  const code = projectCode((await bundleForAnalysis(entry)).text);
  return [...new Set([...code.matchAll(ENV_READER_CALL)].map((m) => m[1] ?? ''))].sort();
}

export async function envReads(entry: LambdaEntry): Promise<string[]> {
  const [atLoad, inCode] = await Promise.all([envReadAtLoad(entry), envReadInCode(entry)]);
  return [...new Set([...atLoad, ...inCode])].sort();
}
