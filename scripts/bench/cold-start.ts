/**
 * 4. Cold start: bundle size and import-and-wire time of each Lambda entry (scripts/bench/
 * lambda-bundles.ts). Push throughput is section 6 (push-throughput.ts).
 */
import {
  type BenchOptions,
  type BenchRow,
  median,
  round,
  type SectionResult,
  type Target,
} from './bench-types';
import { GATEWAY_MEMORY_METHOD, gatewayMemoryRows, profileGateway } from './gateway-memory';
import { bundleEntry, lambdaEntries, REFERENCE_ENTRY, timeImport } from './lambda-bundles';
import { measureWorkerColdStart, workerColdStartRows } from './worker-cold-start';

const SECTION = '4. Cold start';

const SIZE_TARGETS: Record<string, Target> = {
  gateway: { kind: 'max', value: 1.5 * 1024, label: '≤ 1.5 MB' },
  authorizer: { kind: 'max', value: 300, label: '≤ 300 KB' },
  'agent-worker': { kind: 'max', value: 3 * 1024, label: '≤ 3 MB' },
};
const GATEWAY_INIT_MISSED =
  "A CPU profile of one import (node --cpu-prof, 2026-11-21) spends about a third of the time compiling the 1.2 MB bundle and most of the rest evaluating module bodies: fastify with its ajv and fast-json-stringify compilers (~215 KB of the bundle then, although the gateway validates with TypeBox), the AWS SDK's smithy core (~130 KB), TypeBox (~90 KB), pino; module-scope wiring itself (config, clients, buildApp) is small. Compare the same-run reference row (a bare fastify app bundled the same way): the gap above it is what the gateway adds. Done (2026-12-07, README decision 77): the bundles are split, so the AWS SDK's other credential providers (about 150 KB the gateway never runs) are chunks loaded on first use: 202 -> 184 ms, 73 -> 65 MB RSS after import. A second profile (2026-12-07): a quarter of the import is V8 compiling the 1.2 MB loaded at start, and most of the rest the module bodies of what the first request needs anyway (fastify with its compilers, the DynamoDB and SQS clients, TypeBox, jose, pino); compiling the validators on first use instead of at import measured no gain. Done (2026-12-07, README decision 81): fastify gets compilers of its own and the bundles leave ajv and fast-json-stringify out: 1,384 -> 1,109 KB, 145 -> 123-129 ms. A third profile (2026-12-07) put a tenth of the import in esbuild's keepNames, one Object.defineProperty per named function and class of every library, run as each module body evaluates. Done (README decision 87): names are kept only in the agent worker, whose LangChain classes are serialized by name: alternating the two builds in fresh processes, 9 each, median 192 -> 155 ms (authorizer 41 -> 37, push-dispatcher 115 -> 104). What would close it on a busier machine: fewer or lighter libraries on the request path, V8's compile cache (Node 22's module.enableCompileCache, written at build time for the runtime's exact Node version), and a measurement on the Lambda runtime (this shared machine runs several test suites at once; see its load average); provisioned concurrency removes the gateway's cold start altogether.";

const TIME_TARGETS: Record<string, Target> = {
  gateway: { kind: 'max', value: 150, label: '≤ 150 ms', ifMissed: GATEWAY_INIT_MISSED },
  authorizer: {
    kind: 'max',
    value: 50,
    label: '≤ 50 ms',
    ifMissed:
      'The authorizer is jose, pino and its config: compare the same-run reference row; on a loaded machine the figure moves by tens of ms between runs.',
  },
};

async function bundles(
  o: BenchOptions,
  skip: readonly string[],
): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const rows: BenchRow[] = [];
  const samples = o.quick ? 3 : 7;
  const entries = (await lambdaEntries()).filter((e) => !skip.includes(e.name));
  const failed: string[] = [];
  for (const entry of [REFERENCE_ENTRY, ...entries]) {
    // Someone else's work in progress may not build: say so and measure the others.
    const bundled = await bundleEntry(entry).catch((err: unknown) => {
      failed.push(
        `${entry.name} (${entry.entry}) did not build: ${err instanceof Error ? err.message.split('\n').slice(0, 2).join(' ') : String(err)}`,
      );
      return undefined;
    });
    if (!bundled) continue;
    const { bytes, initBytes, file } = bundled;
    const runs: { importMs: number; sinceStartMs: number }[] = [];
    try {
      for (let i = 0; i < samples; i++) runs.push(await timeImport(file, entry.handler));
    } catch (err) {
      failed.push(
        `${entry.name} did not load: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}`,
      );
      continue;
    }
    const importMs = median(runs.map((r) => r.importMs));
    const sizeTarget = SIZE_TARGETS[entry.name];
    const timeTarget = TIME_TARGETS[entry.name];
    rows.push(
      {
        section: SECTION,
        metric: `${entry.name} bundle`,
        value: round(bytes / 1024, 0),
        unit: 'KB',
        ...(sizeTarget ? { target: sizeTarget } : {}),
        note: `${entry === REFERENCE_ENTRY ? 'same-run reference: fastify and one route' : entry.entry}${
          initBytes < bytes
            ? `; ${round(initBytes / 1024, 0).toLocaleString('en-US')} KB loaded at start, the rest in chunks loaded on first use`
            : ''
        }`,
      },
      {
        section: SECTION,
        metric: `${entry.name} import + wiring`,
        value: round(importMs, 0),
        unit: 'ms',
        ...(timeTarget ? { target: timeTarget } : {}),
        note: `median of ${samples} fresh processes; ${round(median(runs.map((r) => r.sinceStartMs)), 0)} ms after process start`,
      },
    );
  }
  return {
    rows,
    notes: [
      ...failed,
      'Each entry is bundled in memory with the options of scripts/build.ts (esbuild, ESM, target node22, minified, class names kept only in the agent worker (README decision 87), the AWS SDK bundled, the createRequire banner); the size is what the zip ships, uncompressed: index.mjs and the chunks code splitting moved the dynamic imports into (README decision 77); the note says how much of it a cold start loads. The time is measured in a fresh `node` process (this machine\'s Node, not the Lambda runtime) from the start of `import()` until the module has evaluated and its handler export exists, so it includes the module-scope config loading and wiring (clients, logger, app factory call); the env holds dummy values for what each config module requires. Lambda adds its own init (runtime start, code download) on top. "after process start" adds Node\'s own start-up.',
    ],
  };
}

export async function coldStart(o: BenchOptions): Promise<SectionResult> {
  // The workers' own module measures the agent worker (its targets and gzipped size); the
  // generic bundle rows measure it only when that module fails.
  const worker = await measureWorkerColdStart({ runs: o.quick ? 3 : 7 }).then(
    (r) => ({ rows: workerColdStartRows(r).map((row) => ({ ...row, section: SECTION })) }),
    (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
  );
  const sized = await bundles(o, 'rows' in worker ? ['agent-worker'] : []);
  const workerRows =
    'rows' in worker
      ? worker.rows.map((r) => (/worker/i.test(r.metric) ? r : { ...r, metric: `agent-worker ${r.metric}` }))
      : [];
  const rows = [...sized.rows, ...workerRows];
  const notes = [...sized.notes];
  // the gateway's memory size (deploy/lambda-entries.ts) comes from this profile
  await profileGateway().then(
    (p) => {
      rows.push(...gatewayMemoryRows(SECTION, p));
      notes.push(GATEWAY_MEMORY_METHOD);
    },
    (err: unknown) =>
      notes.push(`The gateway memory profile failed: ${err instanceof Error ? err.message : String(err)}`),
  );
  if ('rows' in worker) {
    notes.push(
      "The agent-worker rows come from scripts/bench/worker-cold-start.ts (the workers' module: the same bundle options and timing process, with targets and a gzipped size of its own).",
    );
  } else {
    notes.push(`scripts/bench/worker-cold-start.ts failed: ${worker.error}`);
  }
  return { section: SECTION, rows, notes };
}
