/**
 * 7. Whole stack: `npm start`'s process (gateway and in-process workers, logs at info to
 * /dev/null) on the memory store and on DynamoDB Local, against the @a2a-js/sdk reference server
 * with an executor that completes each task as the echo agent does. Each runs in its own child
 * process; autocannon loads them from this process in rotating rounds, SendMessage with
 * returnImmediately (then every accepted task is waited for until COMPLETED) and blocking
 * SendMessage (the answer is the COMPLETED task). Figures are medians of rounds, ratios medians
 * of per-round ratios.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoLocal, startDynamoLocalProcess } from '../../adapters/dynamo/dynamo-local-process';
import {
  type BenchOptions,
  type BenchRow,
  median,
  perRoundRatio,
  rotation,
  round,
  type SectionResult,
  sleep,
} from './bench-types';
import { type ChildServer, startChildServer } from './child-server';
import { type LoadResult, runLoad, sendMessageBody } from './load';
import { processCpuMicros } from './process-cpu';
import type { ChildStats, ServeTarget } from './serve-target';
import { WHY_DYNAMO, WHY_MEMORY_BLOCKING, WHY_MEMORY_IMMEDIATE } from './whole-stack-notes';

const SECTION = '7. Whole stack';
const CONNECTIONS = 16;
/** how long the accepted tasks of one measurement may take to complete after the load ends */
const DRAIN_TIMEOUT_MS = 30_000;

const TARGETS = ['sdk-complete', 'stack', 'stack-dynamo', 'stack-dynamo-file'] as const;
type Target = (typeof TARGETS)[number];
/** The child each target runs: both DynamoDB targets are the same stack, on another DynamoDB Local. */
const SERVED: Record<Target, ServeTarget> = {
  'sdk-complete': 'sdk-complete',
  stack: 'stack',
  'stack-dynamo': 'stack-dynamo',
  'stack-dynamo-file': 'stack-dynamo',
};
const DYNAMO_TARGETS: readonly Target[] = ['stack-dynamo', 'stack-dynamo-file'];
const MODES = ['immediate', 'blocking'] as const;
type Mode = (typeof MODES)[number];

interface Run {
  load: LoadResult;
  /** tasks created and COMPLETED during this measurement */
  created: number;
  completed: number;
  /** completed / (load start → last completion seen) */
  completedPerSecond: number;
  /** CPU time per COMPLETED task: the server's process, and DynamoDB Local's JVM (else NaN) */
  cpuMicrosPerTask: number;
  storeCpuMicrosPerTask: number;
}

const counted = (s: ChildStats) => ({
  created: s.created ?? 0,
  completed: s.completed ?? 0,
  cpu: s.cpuMicros,
});

/** Loads `server` for `seconds`, then waits until every task it created is COMPLETED. */
async function measure(server: ChildServer, mode: Mode, seconds: number, storePid?: number): Promise<Run> {
  const storeBefore = processCpuMicros(storePid);
  const before = counted(await server.stats());
  const started = performance.now();
  const load = await runLoad({
    origin: server.origin,
    path: server.path,
    headers: server.headers,
    body: () => sendMessageBody(mode === 'immediate', 'stack'),
    connections: CONNECTIONS,
    durationSeconds: seconds,
  });
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  let now = counted(await server.stats());
  let lastCompletionAt = performance.now();
  while (now.completed - before.completed < now.created - before.created && Date.now() < deadline) {
    await sleep(20);
    const next = counted(await server.stats());
    if (next.completed > now.completed) lastCompletionAt = performance.now();
    now = next;
  }
  const completed = now.completed - before.completed;
  return {
    load,
    created: now.created - before.created,
    completed,
    completedPerSecond: completed / ((lastCompletionAt - started) / 1000),
    cpuMicrosPerTask: (now.cpu - before.cpu) / Math.max(1, completed),
    storeCpuMicrosPerTask: (processCpuMicros(storePid) - storeBefore) / Math.max(1, completed),
  };
}

/** One request per target and mode, to say in the notes what each answers. */
async function probe(server: ChildServer, mode: Mode): Promise<string> {
  const res = await fetch(`${server.origin}${server.path}`, {
    method: 'POST',
    headers: { ...server.headers, 'content-type': 'application/json' },
    body: sendMessageBody(mode === 'immediate', 'probe'),
  });
  const body = (await res.json()) as { result?: { task?: { status?: { state?: string } } } };
  const state = body.result?.task?.status?.state;
  return state ? state.replace('TASK_STATE_', '') : `HTTP ${res.status} ${JSON.stringify(body).slice(0, 80)}`;
}

const LABEL: Record<Target, string> = {
  'sdk-complete': 'reference',
  stack: 'stack/memory',
  'stack-dynamo': 'stack/DynamoDB',
  'stack-dynamo-file': 'stack/DynamoDB file',
};

export async function wholeStack(o: BenchOptions): Promise<SectionResult> {
  const seconds = o.quick ? 1 : 3;
  const rounds = o.quick ? 2 : 3;
  const warmup = o.quick ? 0.5 : 1;
  const servers = {} as Record<Target, ChildServer>;
  const runs = Object.fromEntries(
    TARGETS.map((t) => [t, { immediate: [] as Run[], blocking: [] as Run[] }]),
  ) as Record<Target, Record<Mode, Run[]>>;
  const answers: string[] = [];
  let storePid: (t: Target) => number | undefined = () => undefined;
  const dynamos: DynamoLocal[] = [];
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-dynamo-file-'));
  // as `npm start` sets it: the AWS SDK's Node 22 notice, once per process, is not a figure
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    // in memory, and on a database file as `npm start` runs it (.local/dynamodb)
    const inMemory = await startDynamoLocalProcess({ inMemory: true });
    dynamos.push(inMemory);
    const onFile = await startDynamoLocalProcess({ dbPath: dataDir });
    dynamos.push(onFile);
    const dynamoOf: Partial<Record<Target, DynamoLocal>> = {
      'stack-dynamo': inMemory,
      'stack-dynamo-file': onFile,
    };
    storePid = (t) => dynamoOf[t]?.pid;
    for (const t of TARGETS) {
      const endpoint = dynamoOf[t]?.endpoint;
      servers[t] = await startChildServer(SERVED[t], endpoint ? { BENCH_DYNAMO_ENDPOINT: endpoint } : {});
    }
    for (const t of TARGETS) {
      const states = [];
      for (const m of MODES) {
        states.push(
          `${m === 'immediate' ? 'returnImmediately' : 'blocking'} → ${await probe(servers[t], m)}`,
        );
        await measure(servers[t], m, warmup, storePid(t));
      }
      answers.push(`${LABEL[t]}: ${states.join(', ')}`);
    }
    for (let r = 0; r < rounds; r++) {
      for (const m of rotation(MODES, r)) {
        for (const t of rotation(TARGETS, r)) {
          runs[t][m].push(await measure(servers[t], m, seconds, storePid(t)));
          await sleep(100);
        }
      }
    }
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
    for (const d of dynamos) await d.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  return { section: SECTION, rows: rowsOf(runs), notes: notesOf(answers, seconds, rounds, warmup) };
}

function rowsOf(runs: Record<Target, Record<Mode, Run[]>>): BenchRow[] {
  const completedRates = (t: Target, m: Mode) => runs[t][m].map((r) => r.completedPerSecond);
  const rps = (t: Target, m: Mode) => runs[t][m].map((r) => r.load.requestsPerSecond);
  const p99 = (t: Target, m: Mode) => median(runs[t][m].map((r) => r.load.p99Ms));
  const refused = (t: Target, m: Mode) =>
    runs[t][m].reduce((n, r) => n + r.load.total - r.load.non2xx - r.created, 0);
  const unfinished = (t: Target, m: Mode) => runs[t][m].reduce((n, r) => n + r.created - r.completed, 0);
  const cpuMs = (t: Target, m: Mode) => round(median(runs[t][m].map((r) => r.cpuMicrosPerTask)) / 1000, 2);
  const storeCpuMs = (t: Target, m: Mode) =>
    round(median(runs[t][m].map((r) => r.storeCpuMicrosPerTask)) / 1000, 2);
  const extra = (t: Target, m: Mode) => {
    const jvm = DYNAMO_TARGETS.includes(t) ? ` + JVM ${storeCpuMs(t, m)} ms` : '';
    const parts = [`p99 ${p99(t, m)} ms`, `CPU/task ${cpuMs(t, m)} ms${jvm}`];
    const notCreated = refused(t, m);
    if (notCreated > 0) parts.push(`${notCreated} answers without a new task (refused: queue full)`);
    const open = unfinished(t, m);
    if (open > 0) parts.push(`${open} tasks not COMPLETED within ${DRAIN_TIMEOUT_MS / 1000} s`);
    return parts.join('; ');
  };
  const rows: BenchRow[] = [];
  for (const t of TARGETS) {
    rows.push(
      {
        section: SECTION,
        metric: `${LABEL[t]}: COMPLETED/s, non-blocking`,
        value: round(median(completedRates(t, 'immediate')), 0),
        unit: '/s',
        ...(DYNAMO_TARGETS.includes(t)
          ? { target: { kind: 'min', value: 200, label: '≥ 200 /s', ifMissed: WHY_DYNAMO } as const }
          : {}),
        note: `${extra(t, 'immediate')}; answered ${round(median(rps(t, 'immediate')), 0)} req/s`,
      },
      {
        section: SECTION,
        metric: `${LABEL[t]}: blocking SendMessage to COMPLETED`,
        value: round(median(rps(t, 'blocking')), 0),
        unit: 'req/s',
        ...(DYNAMO_TARGETS.includes(t)
          ? { target: { kind: 'min', value: 200, label: '≥ 200 req/s', ifMissed: WHY_DYNAMO } as const }
          : {}),
        note: extra(t, 'blocking'),
      },
    );
  }
  for (const t of ['stack', ...DYNAMO_TARGETS] as const) {
    const memory = t === 'stack';
    const immediate = perRoundRatio(
      completedRates(t, 'immediate'),
      completedRates('sdk-complete', 'immediate'),
    );
    const blocking = perRoundRatio(rps(t, 'blocking'), rps('sdk-complete', 'blocking'));
    rows.push(
      {
        section: SECTION,
        metric: `${LABEL[t]} ÷ ref: COMPLETED/s, non-blocking`,
        value: round(immediate, 2),
        unit: '×',
        ...(memory
          ? { target: { kind: 'min', value: 1.5, label: '≥ 1.5×', ifMissed: WHY_MEMORY_IMMEDIATE } as const }
          : {}),
        note: "per-round ratios' median",
      },
      {
        section: SECTION,
        metric: `${LABEL[t]} ÷ ref: blocking SendMessage req/s`,
        value: round(blocking, 2),
        unit: '×',
        ...(memory
          ? { target: { kind: 'min', value: 1.5, label: '≥ 1.5×', ifMissed: WHY_MEMORY_BLOCKING } as const }
          : {}),
        note: `per-round ratios' median; p99 ${p99(t, 'blocking')} vs ${p99('sdk-complete', 'blocking')} ms`,
      },
    );
  }
  const failures = TARGETS.flatMap((t) => MODES.flatMap((m) => runs[t][m])).reduce(
    (n, r) => n + r.load.non2xx + r.load.errors,
    0,
  );
  rows.push({ section: SECTION, metric: 'non-2xx answers and errors under load', value: failures, unit: '' });
  return rows;
}

function notesOf(answers: string[], seconds: number, rounds: number, warmup: number): string[] {
  return [
    `Four child processes (bundled JS), each alone on its port: the local stack as \`npm start\` runs it (gateway, agent-worker pollers, DLQ consumer and reconciler in one process, the dev issuer's JWT, logs at info to /dev/null) on the memory store, the same on DynamoDB Local twice: in memory (-inMemory) and on a database file in a fresh folder as \`npm start\` runs it under .local/dynamodb (SQLite in write-ahead-log mode, set by the launcher; both started by the section and stopped after it), and the @a2a-js/sdk reference (express, DefaultRequestHandler, InMemoryTaskStore) with an executor that does what the echo agent does: it publishes the Task in SUBMITTED, a WORKING status, the text back as an artifact, and COMPLETED with the text as the status message, in-process and without a queue. autocannon in this process sends SendMessage with a unique messageId per request over ${CONNECTIONS} connections. Each target is warmed up (${warmup} s per mode), then loaded ${seconds} s per measurement in ${rounds} rounds with a rotating order of targets and modes.`,
    `In the rows, reference is the @a2a-js/sdk server with the completing executor, stack/memory, stack/DynamoDB and stack/DynamoDB file the local stack on each store (DynamoDB Local in memory, and on a file as \`npm start\` runs it). Non-blocking (SendMessage with configuration.returnImmediately): tasks COMPLETED per second = the tasks created during the ${seconds} s of load that reached COMPLETED, divided by the time from the first request to the last completion (polled every 20 ms); a server that answers fast but completes slowly is measured by the completions, not the answers. Each child counts its own tasks: the stack through its task-metrics decorator (TasksCreated, TasksFinished in COMPLETED, as EMF would), the reference through its task store (first save, save in COMPLETED). Blocking: SendMessage without returnImmediately, whose answer is the task in COMPLETED; req/s and p99 are autocannon's. CPU/task is the CPU time (user + system) the target's process spent per COMPLETED task across a measurement, and for the DynamoDB rows also that of DynamoDB Local's JVM (/proc/<pid>/stat): where the machine's two cores went.`,
    `What each answered to one request (the state of the task in the answer): ${answers.join('; ')}.`,
  ];
}
