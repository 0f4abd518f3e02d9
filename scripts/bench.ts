/**
 * `npm run bench`: the benchmarks of BENCHMARKS.md, all on 127.0.0.1, each bounded in time.
 *   npm run bench                  every section (a few minutes on 2 cores)
 *   npm run bench -- --quick       shorter runs, fewer tasks (about a minute)
 *   npm run bench -- --only 1,3    some sections (1 overhead, 2 store, 3 latency, 4 cold start, 5 scale, 6 push,
 *                                  7 whole stack)
 *   npm run bench -- --no-write    print the table only; BENCHMARKS.md is left alone
 * Benchmarks print figures and compare them with targets; they never fail on a missed target.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions, SectionResult } from './bench/bench-types';
import { coldStart } from './bench/cold-start';
import { e2eLatency } from './bench/e2e-latency';
import { gatewayOverhead } from './bench/gateway-overhead';
import { machineInfo } from './bench/machine';
import { pushThroughput } from './bench/push-throughput';
import { terminalTable, writeBenchmarks } from './bench/report';
import { scale } from './bench/scale';
import { storeCost } from './bench/store-cost';
import { wholeStack } from './bench/whole-stack';
import { parseCli, usageFail } from './cli-args';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const SECTIONS: Record<string, (o: BenchOptions) => Promise<SectionResult>> = {
  '1': gatewayOverhead,
  '2': storeCost,
  '3': e2eLatency,
  '4': coldStart,
  '5': scale,
  '6': pushThroughput,
  '7': wholeStack,
};

const CLI = {
  command: 'npm run bench',
  usage: `Usage: npm run bench -- [options]   the benchmarks of BENCHMARKS.md, on 127.0.0.1
  --quick              shorter runs, fewer tasks (about a minute)
  --only <n,n>         some sections: 1 overhead, 2 store, 3 latency, 4 cold start, 5 scale,
                       6 push, 7 whole stack (npm start's process vs the SDK reference)
  --no-write           print the table only; BENCHMARKS.md is left alone
  -h, --help           show this help`,
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
} as const;
const values = parseCli(CLI);
const chosen = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(SECTIONS);
const unknown = chosen.filter((s) => !(s in SECTIONS));
if (unknown.length > 0) {
  usageFail(
    CLI,
    `--only takes section numbers ${Object.keys(SECTIONS).join(',')} (got ${unknown.join(',')})`,
  );
}

const options: BenchOptions = { quick: values.quick };
const startedAt = new Date();
const machine = machineInfo();
const sections: SectionResult[] = [];
const failures: { section: string; error: string }[] = [];
for (const key of chosen) {
  const run = SECTIONS[key];
  if (!run) continue;
  const t0 = Date.now();
  process.stdout.write(`section ${key}… `);
  try {
    const result = await run(options);
    sections.push(result);
    process.stdout.write(`${result.section} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    failures.push({ section: key, error });
    process.stdout.write(`failed: ${error}\n`);
  }
}

const rows = sections.flatMap((s) => s.rows);
console.log(`\n${terminalTable(rows)}\n`);
for (const f of failures) console.log(`section ${f.section} did not run: ${f.error}`);

const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
if (!values['no-write']) {
  const path = resolve(ROOT, 'BENCHMARKS.md');
  await writeBenchmarks(path, {
    machine,
    command,
    startedAt,
    durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
    sections,
    failures,
  });
  console.log(`wrote ${path}`);
}
// Loopback servers and timers of the sections are closed; exit even if a library keeps a handle.
process.exit(failures.length > 0 ? 1 : 0);
