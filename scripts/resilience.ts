/**
 * `npm run resilience`: the resilience suite with faults injected, on 127.0.0.1, bounded in time.
 *   npm run resilience                 1,000 tasks with faults, 10,000 fuzzed requests, a flood,
 *                                      one tenant's 3,000-task flood beside a quiet tenant,
 *                                      slow bodies (40 s) and large lists (30 s)
 *   npm run resilience -- --quick      100 tasks, 1,000 requests, smaller floods, 8 s attacks
 *   npm run resilience -- --seed 7     replay the fault and fuzz decisions of another seed
 *   npm run resilience -- --only 'slow bodies,large lists'   run only the named scenarios
 *   npm run resilience -- --write      also put the figures into BENCHMARKS.md's Resilience section
 * Prints the counts of every scenario and the promises it broke; exits 1 if any was broken.
 * (test/resilience/*.test.ts run the reduced sizes inside `npm test`.)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, machineInfo } from './bench/machine';
import { replaceSection } from './bench/markdown-section';
import { RESILIENCE_HEADING } from './bench/report';
import { parseCli, usageFail } from './cli-args';
import {
  fairnessFailures,
  faultFailures,
  fuzzFailures,
  largeListFailures,
  lostTriggerFailures,
  overloadFailures,
  slowBodyFailures,
} from './resilience/checks';
import { DEFAULT_FAULTS, runFaultScenario } from './resilience/fault-injection';
import { runFuzz } from './resilience/fuzz';
import { runLargeListScenario } from './resilience/large-lists';
import { runLostTriggerScenario } from './resilience/lost-trigger';
import { runOverloadScenario } from './resilience/overload';
import { runSlowBodyScenario } from './resilience/slow-bodies';
import { runFairnessScenario } from './resilience/tenant-fairness';
import { sampleRss } from './resilience/victim-probe';

const CLI = {
  command: 'npm run resilience',
  usage: `Usage: npm run resilience -- [options]   the resilience suite with faults injected
  --quick              100 tasks, 1,000 requests, smaller floods (~50 s)
  --seed <n>           replay the fault and fuzz decisions of another seed (default: 20261121)
  --only <a,b>         run only the named scenarios (e.g. 'slow bodies,large lists')
  --write              also put the figures into BENCHMARKS.md's Resilience section
  -h, --help           show this help`,
  options: {
    quick: { type: 'boolean', default: false },
    seed: { type: 'string', default: '20261121' },
    only: { type: 'string', default: '' },
    write: { type: 'boolean', default: false },
  },
} as const;
const values = parseCli(CLI);
const quick = values.quick;
const seed = /^-?\d+$/.test(values.seed) ? Number(values.seed) : Number.NaN;
if (!Number.isSafeInteger(seed)) usageFail(CLI, `--seed must be an integer (got ${values.seed})`);

interface Outcome {
  name: string;
  failures: string[];
}
const outcomes: Outcome[] = [];
/** the figures of each scenario worth a line in BENCHMARKS.md */
const figures = new Map<string, string>();
const note = (name: string, text: string) => figures.set(name, text);
const show = (title: string, counts: unknown) =>
  console.log(`\n== ${title}\n${JSON.stringify(counts, null, 2)}`);

const only = values.only === '' ? undefined : values.only.split(',').map((n) => n.trim());

async function scenario(name: string, run: () => Promise<string[]>): Promise<void> {
  if (only && !only.includes(name)) return;
  const t0 = Date.now();
  try {
    outcomes.push({ name, failures: await run() });
  } catch (err) {
    outcomes.push({
      name,
      failures: [`did not finish: ${err instanceof Error ? err.message : String(err)}`],
    });
  }
  console.log(`(${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

await scenario('fault injection', async () => {
  const r = await runFaultScenario({
    ...DEFAULT_FAULTS,
    tasks: quick ? 100 : 1_000,
    seed,
    deadlineMs: quick ? 45_000 : 150_000,
  });
  const { audit } = r;
  show('1. Fault injection', {
    tasks: audit.accepted,
    completed: audit.completed,
    lost: audit.lost.length,
    stuck: audit.stuck.length,
    logProblems: audit.logProblems.length,
    agentRunsPerTask: audit.runs,
    pushEvents: audit.push,
    faults: r.faults,
    seconds: r.seconds,
  });
  note(
    'fault injection',
    `${audit.completed}/${audit.accepted} tasks completed, ${audit.lost.length} lost, ${audit.stuck.length} stuck, push events ${JSON.stringify(audit.push)}`,
  );
  return faultFailures(r);
});

await scenario('lost push trigger', async () => {
  const r = await runLostTriggerScenario();
  show('1b. Worker dies after its final commit, before the push trigger', {
    deaths: r.deaths,
    logged: r.logged,
    delivered: r.delivered,
  });
  return lostTriggerFailures(r);
});

await scenario('fuzzing', async () => {
  const r = await runFuzz({ runs: quick ? 1_000 : 10_000, seed });
  show('2. Fuzzing', { ...r, violations: r.violations.slice(0, 10), crashes: r.crashes.slice(0, 10) });
  note('fuzzing', `${r.violations.length} bad answers, ${r.crashes.length} crashes`);
  return fuzzFailures(r, 16);
});

await scenario('overload', async () => {
  const r = await runOverloadScenario({
    requests: quick ? 300 : 1_000,
    concurrency: quick ? 150 : 300,
    settings: { maxInFlight: 32, maxInFlightPerTenant: 24, maxEventLoopDelayMs: 150, sampleIntervalMs: 100 },
  });
  show('3. Overload', { ...r, acceptedNotCompleted: r.acceptedNotCompleted.length });
  return overloadFailures(r);
});

await scenario('tenant fairness', async () => {
  const options = {
    flood: quick ? 600 : 3_000,
    concurrency: 32,
    cap: quick ? 200 : 1_000,
    workers: 4,
    agentDelayMs: 10,
    probes: quick ? 5 : 20,
  };
  const rss = sampleRss();
  const fair = await runFairnessScenario({ ...options, fairGroups: true });
  const fairRss = rss.stop();
  // the same flood with the groups dropped (plain FIFO), for comparison only
  const fifo = await runFairnessScenario({ ...options, fairGroups: false });
  const figures = (r: typeof fair) => ({
    floodAccepted: r.flood.accepted,
    floodRefused429: r.flood.refused,
    peakQueuedNoisy: r.peakQueuedA,
    quietCompleted: `${r.probes.completed}/${options.probes}`,
    quietP50Ms: r.probes.p50Ms,
    quietP99Ms: r.probes.p99Ms,
    quietFirstMs: r.probes.latenciesMs[0],
    noisyQueuedWhenQuietAnswered: r.probes.aQueuedAtEach.join(','),
    seconds: r.seconds,
  });
  show('4. Tenant fairness (noisy tenant floods, quiet tenant sends blocking)', {
    options,
    fair: figures(fair),
    fifoBaseline: figures(fifo),
  });
  note(
    'tenant fairness',
    `noisy tenant floods ${options.flood} tasks (cap ${options.cap}: ${fair.flood.accepted} accepted, ${fair.flood.refused} × 429); quiet tenant's blocking SendMessage p50 ${fair.probes.p50Ms} ms, p99 ${fair.probes.p99Ms} ms (FIFO baseline without groups: p99 ${fifo.probes.p99Ms} ms); peak RSS ${fairRss.peakMb} MB (from ${fairRss.startMb})`,
  );
  return fairnessFailures(fair);
});

await scenario('slow bodies', async () => {
  // The reported attack: 260 authenticated sockets, one body byte every 5 s.
  const r = await runSlowBodyScenario({
    sockets: 260,
    trickleMs: 5_000,
    durationMs: quick ? 8_000 : 40_000,
    settings: { maxInFlight: 256, maxInFlightPerTenant: 64 },
    // the defaults (10 s / 30 s); --quick shortens them so that the run sees 408s
    requestTimeouts: quick
      ? { headersMs: 2_000, requestMs: 5_000 }
      : { headersMs: 10_000, requestMs: 30_000 },
  });
  show('5. Slow bodies', r);
  note(
    'slow bodies',
    `${r.options.sockets} sockets, 1 byte / ${r.options.trickleMs / 1000} s: attacker ${JSON.stringify(r.attack.answers)}; quiet tenant p50 ${r.victim.p50Ms} ms, p99 ${r.victim.p99Ms} ms, ${JSON.stringify(r.victim.statuses)}; peak RSS ${r.rss.peakMb} MB (from ${r.rss.startMb})`,
  );
  return slowBodyFailures(r);
});

await scenario('large lists', async () => {
  // The reported attack: 100 tasks of 90 KB, ten ListTasks in parallel, includeArtifacts and
  // historyLength 100 (36 MB a page without a byte budget).
  const r = await runLargeListScenario({
    tasks: 100,
    artifactBytes: 90_000,
    parallel: 10,
    durationMs: quick ? 8_000 : 30_000,
    listPageMaxBytes: 4 * 1024 * 1024,
  });
  show('6. Large lists', r);
  note(
    'large lists',
    `${r.options.parallel} parallel ListTasks of ${r.options.tasks} tasks × ${r.options.artifactBytes / 1000} KB: largest answer ${(r.attack.largestAnswerBytes / 1e6).toFixed(2)} MB, walk ${r.walk.pages} pages / ${r.walk.distinct} distinct of ${r.walk.expected}; quiet tenant p50 ${r.victim.p50Ms} ms, p99 ${r.victim.p99Ms} ms; peak RSS ${r.rss.peakMb} MB (from ${r.rss.startMb})`,
  );
  return largeListFailures(r);
});

console.log('\n== Summary');
for (const o of outcomes) {
  console.log(`${o.failures.length === 0 ? 'PASS' : 'FAIL'}  ${o.name}`);
  for (const f of o.failures) console.log(`      - ${f}`);
}
if (values.write) {
  const path = resolve(fileURLToPath(new URL('..', import.meta.url)), 'BENCHMARKS.md');
  const args = process.argv.slice(2).join(' ');
  const rows = outcomes.map(
    (o) =>
      `| ${o.name} | ${o.failures.length === 0 ? 'pass' : `FAIL: ${o.failures.join('; ')}`} | ${figures.get(o.name) ?? ''} |`,
  );
  const section = [
    `## ${RESILIENCE_HEADING}`,
    '',
    'Not a benchmark, and not run by `npm run bench`: `npm run resilience` (scripts/resilience.ts) injects faults — worker processes that die before or after a store call or before their ack, a throttling store, a webhook that fails 30 % of the calls, fuzzed hostile requests in both protocol versions, a flood beyond the overload bounds, one tenant flooding the work queue, slow-body sockets, large ListTasks pages — and prints what broke; test/resilience/ runs reduced versions inside `npm test`. The "quiet tenant" is another tenant whose calls are timed during the attack.',
    '',
    `Last written by \`npm run resilience -- ${args}\` on ${new Date().toISOString()} (${describeMachine(machineInfo())}):`,
    '',
    '| scenario | result | figures |',
    '| --- | --- | --- |',
    ...rows,
  ].join('\n');
  const md = await readFile(path, 'utf8');
  await writeFile(path, replaceSection(md, RESILIENCE_HEADING, section));
  console.log(`wrote the Resilience section of ${path}`);
}
process.exit(outcomes.every((o) => o.failures.length === 0) ? 0 : 1);
