/**
 * The agent worker's cold path, as Lambda pays it: the esbuild bundle of
 * workers/agent-worker/lambda.ts with the options `npm run build` ships it with (ESM, node22,
 * minified, split; AWS SDK, LangGraph and Bedrock inside; lambda-bundles.ts), then loaded in
 * fresh Node processes that report how long the import (module evaluation: config, clients,
 * agent registry, graph builders) took and when the handler was ready after process start. No network: the wiring only constructs clients.
 *
 *   npx tsx scripts/bench/worker-cold-start.ts     prints the figures
 *   measureWorkerColdStart() / workerColdStartRows()   for `npm run bench`
 */
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BenchRow, median, round } from './bench-types';
import { bundleEntry } from './lambda-bundles';

const ENTRY = 'workers/agent-worker/lambda.ts';

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
  const { file, files, bytes } = await bundleEntry({
    name: 'agent-worker',
    entry: ENTRY,
    handler: 'handler',
  });
  const importMs: number[] = [];
  const readyMs: number[] = [];
  for (let i = 0; i < (opts.runs ?? 5); i++) {
    const sample = await coldImport(file);
    importMs.push(sample.importMs);
    readyMs.push(sample.readyMs);
  }
  const bundleGzipBytes = files.reduce((n, f) => n + gzipSync(f).length, 0);
  return { bundleBytes: bytes, bundleGzipBytes, importMs, readyMs };
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
