/**
 * The agent worker's cold path, as Lambda pays it: the esbuild bundle of
 * workers/agent-worker/lambda.ts with the options `npm run build` ships it with (ESM, node22,
 * minified, split; AWS SDK, LangGraph and Bedrock inside; lambda-bundles.ts), then loaded in
 * fresh Node processes that report how long the import (module evaluation: config, clients,
 * agent registry, graph builders) took and when the handler was ready after process start (the
 * same timing process as the other Lambdas, lambda-bundles.ts timeImport). No network: the wiring
 * only constructs clients.
 *
 *   npx tsx scripts/bench/worker-cold-start.ts     prints the figures
 *   measureWorkerColdStart() / workerColdStartRows()   for `npm run bench`
 */
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BenchRow, median, round } from './bench-types';
import { bundleEntry, timeImport } from './lambda-bundles';

const ENTRY = 'workers/agent-worker/lambda.ts';

/** What the config module needs; the endpoints are never called during wiring, and logs are off. */
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
    const sample = await timeImport(file, 'handler', CHILD_ENV);
    importMs.push(sample.importMs);
    readyMs.push(sample.sinceStartMs);
  }
  const bundleGzipBytes = files.reduce((n, f) => n + gzipSync(f).length, 0);
  return { bundleBytes: bytes, bundleGzipBytes, importMs, readyMs };
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
