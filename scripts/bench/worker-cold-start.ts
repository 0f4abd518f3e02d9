/**
 * The agent worker's cold path, as Lambda pays it: the esbuild bundle of
 * workers/agent-worker/lambda.ts (ESM, minified, AWS SDK, LangGraph and Bedrock inside), measured
 * in memory (`write: false`), then loaded in fresh Node processes that report how long the import
 * (module evaluation: config, clients, agent registry, graph builders) took and when the handler
 * was ready after process start. No network: the wiring only constructs clients.
 *
 *   npx tsx scripts/bench/worker-cold-start.ts     prints the figures
 *   measureWorkerColdStart() / workerColdStartRows()   for `npm run bench`
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { type BenchRow, median, round } from './bench-types';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = 'workers/agent-worker/lambda.ts';
const OUT_DIR = join(ROOT, '.local', 'bench', 'worker-cold-start');

/** ESM output still meets CommonJS dependencies that call require(). */
const REQUIRE_BANNER =
  "import { createRequire as __a2aCreateRequire } from 'node:module';\nconst require = __a2aCreateRequire(import.meta.url);";

/** What the config module needs; the endpoints are never called during wiring. */
const CHILD_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TABLE_NAME: 'bench',
  WORK_QUEUE_URL: 'http://127.0.0.1:9/000000000000/work',
  PUSH_QUEUE_URL: 'http://127.0.0.1:9/000000000000/push',
  LOG_LEVEL: 'silent',
};

export interface WorkerColdStartResult {
  bundleBytes: number;
  bundleGzipBytes: number;
  /** per fresh process: import of the bundle, including its module-scope wiring */
  importMs: number[];
  /** per fresh process: from process start until the handler was exported */
  readyMs: number[];
}

export async function measureWorkerColdStart(opts: { runs?: number } = {}): Promise<WorkerColdStartResult> {
  const out = await build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'none',
    banner: { js: REQUIRE_BANNER },
    write: false,
    logLevel: 'error',
  });
  const code = out.outputFiles[0]?.contents;
  if (!code) throw new Error(`esbuild produced no output for ${ENTRY}`);
  await mkdir(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, 'index.mjs');
  await writeFile(file, code);
  const importMs: number[] = [];
  const readyMs: number[] = [];
  for (let i = 0; i < (opts.runs ?? 5); i++) {
    const sample = await coldImport(file);
    importMs.push(sample.importMs);
    readyMs.push(sample.readyMs);
  }
  return { bundleBytes: code.length, bundleGzipBytes: gzipSync(code).length, importMs, readyMs };
}

function coldImport(file: string): Promise<{ importMs: number; readyMs: number }> {
  const script = [
    'const t0 = performance.now();',
    `const m = await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const t1 = performance.now();',
    "if (typeof m.handler !== 'function') throw new Error('the bundle exports no handler');",
    'process.stdout.write(JSON.stringify({ importMs: t1 - t0, readyMs: t1 }));',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH ?? '', ...CHILD_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`cold import failed (exit ${code}): ${stderr.slice(-2000)}`));
      try {
        resolve(JSON.parse(stdout) as { importMs: number; readyMs: number });
      } catch {
        reject(new Error(`cold import printed no figures: ${stdout.slice(0, 500)} ${stderr.slice(-500)}`));
      }
    });
  });
}

const SECTION = 'Worker cold start';

export function workerColdStartRows(r: WorkerColdStartResult): BenchRow[] {
  const runs = `median of ${r.importMs.length} fresh processes`;
  return [
    {
      section: SECTION,
      metric: 'agent-worker bundle, minified',
      value: round(r.bundleBytes / 1024 / 1024, 2),
      unit: 'MB',
      target: {
        kind: 'max',
        value: 3,
        label: '≤ 3 MB',
        ifMissed: 'bundle Bedrock lazily (dynamic import) or drop unused LangChain entry points',
      },
      note: `${round(r.bundleGzipBytes / 1024 / 1024, 2)} MB gzipped; AWS SDK, LangGraph and @langchain/aws inside`,
    },
    {
      section: SECTION,
      metric: 'import + wiring of the bundle',
      value: round(median(r.importMs)),
      unit: 'ms',
      target: {
        kind: 'max',
        value: 500,
        label: '≤ 500 ms',
        ifMissed: 'move the Bedrock client and the graph builders behind first use',
      },
      note: runs,
    },
    {
      section: SECTION,
      metric: 'process start to handler ready',
      value: round(median(r.readyMs)),
      unit: 'ms',
      note: `${runs}; Node boot included, Lambda's own init not`,
    },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await measureWorkerColdStart();
  for (const row of workerColdStartRows(result)) {
    console.log(`${row.metric.padEnd(34)} ${String(row.value).padStart(8)} ${row.unit}   ${row.note ?? ''}`);
  }
  console.log(`import ms per run: ${result.importMs.map((n) => n.toFixed(0)).join(', ')}`);
}
