/**
 * Parent side of serve-target.ts: spawns a target in its own Node process and talks to it. The
 * child runs compiled JavaScript (an esbuild bundle under .local/bench/, dependencies external),
 * not tsx, so its memory and speed are those of a deployed process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { ChildStats, ServeTarget } from './serve-target';

export interface ChildServer {
  origin: string;
  path: string;
  headers: Record<string, string>;
  pid: number;
  stats(): Promise<ChildStats>;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT_DIR = join(ROOT, '.local', 'bench', 'serve');
const START_TIMEOUT_MS = 30_000;

let bundled: Promise<string> | undefined;

/** Bundles serve-target.ts once per run (code splitting keeps each target's imports lazy). */
function serveBundle(): Promise<string> {
  bundled ??= rm(OUT_DIR, { recursive: true, force: true })
    .then(() =>
      build({
        absWorkingDir: ROOT,
        entryPoints: ['scripts/bench/serve-target.ts'],
        bundle: true,
        splitting: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        outdir: OUT_DIR,
        logLevel: 'error',
      }),
    )
    .then(() => join(OUT_DIR, 'serve-target.js'));
  return bundled;
}

/**
 * Flags for every child's `node` from BENCH_CHILD_NODE_ARGS (space-separated), e.g. a CPU profile
 * of each target: `BENCH_CHILD_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench --
 * --only 7 --no-write` (NODE_OPTIONS does not take --cpu-prof).
 */
const nodeArgs = (): string[] => process.env.BENCH_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? [];

/** `env` adds variables for the child (e.g. MEMORY_MAX_FINISHED_TASKS for the stack). */
export async function startChildServer(
  target: ServeTarget,
  env: Record<string, string> = {},
): Promise<ChildServer> {
  const child = spawn(process.execPath, [...nodeArgs(), await serveBundle(), target], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env, NODE_ENV: 'production' },
  });
  const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> });
  const waiters: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiters.shift()?.(line));
  const next = (prefix: string, timeoutMs: number) => nextLine(child, waiters, prefix, timeoutMs);
  const ready = JSON.parse(await next('READY ', START_TIMEOUT_MS)) as {
    origin: string;
    path: string;
    headers: Record<string, string>;
  };
  let chain: Promise<unknown> = Promise.resolve();
  return {
    ...ready,
    pid: child.pid ?? -1,
    stats() {
      const asked = chain.then(() => {
        child.stdin?.write('stats\n');
        return next('STATS ', 10_000);
      });
      chain = asked.catch(() => undefined);
      return asked.then((json) => JSON.parse(json) as ChildStats);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.stdin?.end('stop\n');
      }),
  };
}

function nextLine(
  child: ChildProcess,
  waiters: ((line: string) => void)[],
  prefix: string,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`benchmark server exited (${code}) before answering ${prefix.trim()}`));
    };
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      reject(new Error(`benchmark server did not answer ${prefix.trim()} within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', onExit);
    waiters.push((line) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      if (line.startsWith(prefix)) resolve(line.slice(prefix.length));
      else reject(new Error(`unexpected line from benchmark server: ${line.slice(0, 200)}`));
    });
  });
}
