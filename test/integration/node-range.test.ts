/**
 * The supported Node range is stated once (package.json engines), enforced by the prerequisite
 * check through scripts/check-node.mjs, and `npm start` prints no AWS SDK Node-version warning on a
 * supported Node (the prereq line carries the one-line note instead).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testDataDir } from '../support/temp-dir';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { engines: { node: string } };

function checkNode(version: string): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [join(repo, 'scripts/check-node.mjs'), version], (err, _out, stderr) => {
      done({ code: err ? Number((err as { code?: unknown }).code) : 0, stderr });
    });
  });
}

describe('the supported Node range', () => {
  it('is what the dependencies need: require(esm) on by default (20.19+, 22.12+), as vite and fastify’s cookie need', () => {
    expect(pkg.engines.node).toBe('^20.19.0 || >=22.12.0');
  });

  it.each([
    ['18.20.8', false],
    ['20.18.3', false],
    ['20.19.0', true],
    ['20.20.2', true],
    ['21.7.3', false],
    ['22.11.0', false],
    ['22.12.0', true],
    ['24.3.0', true],
  ])('the prereq check holds Node %s to package.json engines (supported: %s)', async (version, ok) => {
    const run = await checkNode(version);
    expect(run.code).toBe(ok ? 0 : 1);
    expect(run.stderr).toBe(
      ok
        ? ''
        : `Node.js ${version} is not supported: the project needs ${pkg.engines.node} (package.json engines); use Node 22.12 or later (.nvmrc; Lambda runs nodejs22.x)\n`,
    );
  });

  it('is checked by ensure-prereqs.sh with check-node.mjs alone (no second copy of the range)', () => {
    const script = readFileSync(join(repo, 'scripts/ensure-prereqs.sh'), 'utf8');
    expect(script).toContain('node "$ROOT_DIR/scripts/check-node.mjs"');
    expect(script).not.toMatch(/MIN_NODE|node_major\s*</);
  });

  it('.nvmrc names the Node of the Lambda runtime, inside the range', async () => {
    const nvmrc = readFileSync(join(repo, '.nvmrc'), 'utf8').trim();
    expect(nvmrc).toBe('22');
    expect(readFileSync(join(repo, 'terraform/outputs.tf'), 'utf8')).toContain(`"nodejs${nvmrc}.x"`);
    expect((await checkNode(`${nvmrc}.12.0`)).code).toBe(0);
  });
});

const tsxLoader = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;

/** npm start's script in its own process, read until its banner, then stopped with SIGTERM. */
async function startUntilBanner(args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED; // as a user's shell has it
  const child = spawn(process.execPath, ['--import', tsxLoader, join(repo, 'scripts/start.ts'), ...args], {
    cwd: testDataDir('node-range'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const take = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('Stop with Ctrl-C.')) resolve();
      };
      child.stdout?.on('data', take);
      child.stderr?.on('data', take);
      child.once('exit', (code) =>
        reject(new Error(`npm start exited (${code}) before its banner:\n${output}`)),
      );
    });
  } finally {
    await stop(child);
  }
  return output;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

describe('npm start on a supported Node', () => {
  it.each([[['--store', 'memory']], [[]]])(
    'prints its banner and no AWS SDK Node-version warning (args %j)',
    async (args) => {
      const output = await startUntilBanner(['--port', '0', ...args]);
      expect(output).toContain('A2A gateway (local) on http://127.0.0.1:');
      expect(output).not.toMatch(/NodeVersionSupportWarning|NodeDeprecationWarning|\(node:\d+\) Warning/);
    },
    90_000,
  );
});
