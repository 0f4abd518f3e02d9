/**
 * `npm start -- --store memory` never loads the AWS SDK: the DynamoDB adapter is imported only in
 * the DynamoDB branch, and the Secrets Manager key loader lives apart from the local key file's
 * code (secret-signing-keys.ts). A resolve hook in the stack's own
 * process records every module it loads, through start-up and one task to COMPLETED.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { echoTaskState } from '../support/echo-over-http';
import { testDataDir } from '../support/temp-dir';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tsxLoader = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;

const HOOKS = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.IMPORT_TRACE_FILE, resolved.url + '\\n');
  return resolved;
}`;

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

/** Starts `npm start -- --store memory --port 0` with the trace hook; resolves with its banner. */
function startTraced(dir: string, trace: string): Promise<string> {
  const hooks = join(dir, 'trace-hooks.mjs');
  const register = join(dir, 'trace-register.mjs');
  writeFileSync(hooks, HOOKS);
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  writeFileSync(trace, '');
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      [
        '--import',
        register,
        '--import',
        tsxLoader,
        join(repo, 'scripts/start.ts'),
        '--store',
        'memory',
        '--port',
        '0',
      ],
      { cwd: dir, env: { ...process.env, LOG_LEVEL: 'silent', IMPORT_TRACE_FILE: trace } },
    );
    child = proc;
    let out = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('export TOKEN=')) resolve(out);
    });
    proc.once('exit', (code) => reject(new Error(`npm start exited (${code}) before its banner: ${out}`)));
  });
}

describe('npm start -- --store memory', () => {
  it('runs a task to COMPLETED without loading the AWS SDK', async () => {
    const dir = testDataDir('memory-imports');
    const trace = join(dir, 'imports.txt');
    const banner = await startTraced(dir, trace);
    const url = /A2A gateway \(local\) on (\S+)/.exec(banner)?.[1];
    const token = /export TOKEN=(\S+)/.exec(banner)?.[1];
    expect(await echoTaskState(String(url), String(token), 'm1', 'hello')).toBe('TASK_STATE_COMPLETED');
    const loaded = readFileSync(trace, 'utf8').split('\n');
    // the hook saw the stack's own modules, so an absent SDK is not a blind spot
    expect(loaded.some((u) => u.includes('/node_modules/fastify/'))).toBe(true);
    expect(loaded.some((u) => u.endsWith('/adapters/memory/memory-task-store.ts'))).toBe(true);
    expect(loaded.filter((u) => u.includes('/node_modules/@aws-sdk/'))).toEqual([]);
  }, 60_000);
});
