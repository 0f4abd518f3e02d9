/**
 * `npm run resilience`: the resilience suite with faults injected, on 127.0.0.1, bounded in time.
 *   npm run resilience                 1,000 tasks with faults, 10,000 fuzzed requests, a flood,
 *                                      one tenant's 3,000-task flood beside a quiet tenant,
 *                                      slow bodies (40 s) and large lists (30 s)
 *   npm run resilience -- --quick      100 tasks, 1,000 requests, smaller floods, 8 s attacks
 *   npm run resilience -- --seed 7     replay the fault and fuzz decisions of another seed
 *   npm run resilience -- --only 'slow bodies,large lists'   run only the named scenarios
 * Prints the counts of every scenario and the promises it broke; exits 1 if any was broken.
 * (test/resilience/*.test.ts run the reduced sizes inside `npm test`.)
 */
import { parseArgs } from 'node:util';
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

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seed: { type: 'string', default: '20261121' },
    only: { type: 'string', default: '' },
  },
});
const quick = values.quick;
const seed = Number(values.seed);
if (!Number.isInteger(seed)) {
  console.error(`--seed must be an integer (got ${values.seed})`);
  process.exit(2);
}

interface Outcome {
  name: string;
  failures: string[];
}
const outcomes: Outcome[] = [];
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
  const fair = await runFairnessScenario({ ...options, fairGroups: true });
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
  return largeListFailures(r);
});

console.log('\n== Summary');
for (const o of outcomes) {
  console.log(`${o.failures.length === 0 ? 'PASS' : 'FAIL'}  ${o.name}`);
  for (const f of o.failures) console.log(`      - ${f}`);
}
process.exit(outcomes.every((o) => o.failures.length === 0) ? 0 : 1);
