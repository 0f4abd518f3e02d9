/**
 * The user-facing scripts as a user runs them (their own node processes): `--help` on every one,
 * one clear line and exit 2 for an unknown option, and a busy port named instead of an
 * EADDRINUSE trace.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from '../../adapters/dynamo/dynamo-local-lock';
import { testDataDir } from '../support/temp-dir';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tsxLoader = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  pid: number | undefined;
}

/** A script run as its own node process to its end (no tsx wrapper: its pid is the script's). */
function runScript(script: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      ['--import', tsxLoader, join(repo, 'scripts', script), ...args],
      {
        cwd: testDataDir('script-cli'),
        env: { ...process.env, LOG_LEVEL: 'silent', ...env },
        timeout: 60_000,
      },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: unknown }).code as number | null) : 0;
        done({ code: typeof code === 'number' ? code : null, stdout, stderr, pid: child.pid });
      },
    );
  });
}

const SCRIPTS = [
  ['start.ts', 'npm start'],
  ['webhook-receiver.ts', 'npm run webhook-receiver'],
  ['token.ts', 'npm run -s token'],
  ['bench.ts', 'npm run bench'],
  ['resilience.ts', 'npm run resilience'],
  ['a2a.ts', 'npm run a2a'],
] as const;

describe('the scripts of npm start, webhook-receiver, token, bench, resilience and a2a', () => {
  it.each(SCRIPTS)(
    '%s prints its usage for --help and exits 0',
    async (script, command) => {
      const run = await runScript(script, ['--help']);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(new RegExp(`^Usage: ${command.replace(/[-]/g, '\\-')} -- `));
      expect(run.stdout).toContain('-h, --help');
    },
    60_000,
  );

  it.each(SCRIPTS)(
    '%s names an unknown option in one line and exits 2',
    async (script, command) => {
      const run = await runScript(script, ['--no-such-option']);
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr).toBe(
        `${command}: unknown option --no-such-option\nSee \`${command} -- --help\` for the options.\n`,
      );
    },
    60_000,
  );
});

describe('npm start on a busy port', () => {
  let holder: Server | undefined;
  afterEach(() => new Promise<void>((done) => (holder ? holder.close(() => done()) : done())));

  it('says which port is taken, by whom, how to pick another, and exits 1 leaving nothing running', async () => {
    holder = createServer();
    const server = holder;
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const port = (server.address() as { port: number }).port;

    const run = await runScript('start.ts', ['--store', 'memory'], { PORT: String(port) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^npm start: port ${port} on 127\\.0\\.0\\.1 is already in use( \\(by [^)]+\\))?\\. `),
    );
    expect(run.stderr).toContain(`another port: PORT=${port + 1} npm start`);
    expect(run.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
    // ss or lsof (when present) find the holder: this test's own process.
    if (/\(by /.test(run.stderr)) expect(run.stderr).toContain(`pid ${process.pid})`);
    expect(run.stdout).toBe('');
    expect(run.pid !== undefined && isAlive(run.pid)).toBe(false);
  }, 60_000);
});
