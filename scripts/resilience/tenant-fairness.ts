/**
 * Resilience 4, tenant fairness: tenant A floods the gateway with non-blocking sends (its queued
 * work capped at `cap`: the rest are refused), then tenant B sends blocking SendMessages one after
 * another while A's backlog waits. Expected: every B task completes within its blocking call while
 * A still has queued work (the queue serves the group with the fewest messages in flight, so B
 * does not wait behind A's backlog); A's refusals are 429 with Retry-After and -32603
 * RESOURCE_EXHAUSTED; A's queued count stays near the cap. `fairGroups: false` drops the groups
 * (plain FIFO) for the comparison figure.
 */
import { systemContext } from '../../core/context';
import { randomCrashes } from './faults';
import { startResilienceStack } from './resilience-stack';
import { forEachLimited, postRpc, type RpcAnswer, reasonOf } from './rpc-client';

export interface FairnessOptions {
  /** A's non-blocking sends */
  flood: number;
  /** A's sends in flight at once */
  concurrency: number;
  /** TENANT_MAX_QUEUED_TASKS */
  cap: number;
  workers: number;
  /** the echo agent's pause before each of its events */
  agentDelayMs: number;
  /** B's blocking sends, one after another */
  probes: number;
  fairGroups: boolean;
}

export interface FairnessReport {
  options: FairnessOptions;
  seconds: number;
  flood: { accepted: number; refused: number; malformed: string[] };
  /** the most SUBMITTED tasks A had at once (sampled) */
  peakQueuedA: number;
  probes: {
    completed: number;
    /** each blocking SendMessage of B, in ms */
    latenciesMs: number[];
    p50Ms: number;
    p99Ms: number;
    /** A's SUBMITTED tasks when each B answer came back */
    aQueuedAtEach: number[];
  };
}

const A = 'tenant-a';
const B = 'tenant-b';

export async function runFairnessScenario(o: FairnessOptions): Promise<FairnessReport> {
  const started = Date.now();
  const stack = await startResilienceStack({
    random: Math.random,
    workers: o.workers,
    throttle: 0,
    crashes: randomCrashes(0, Math.random),
    crashBeforeAck: 0,
    agentDelayMs: o.agentDelayMs,
    blockingTimeoutMs: 25_000,
    push: false,
    maxQueuedTasksPerTenant: o.cap,
    fairGroups: o.fairGroups,
  });
  const url = `${stack.url}/agents/echo`;
  const mint = (tenant: string) => stack.issuer.mint({ tenant, scopes: ['tasks:submit', 'tasks:read'] });
  const tokens: Record<string, string> = { [A]: await mint(A), [B]: await mint(B) };
  const queuedA = () => stack.truth.countQueued(systemContext(A, 'audit'), o.cap * 10);
  const send = (tenant: string, n: number, blocking: boolean) =>
    postRpc(url, tokens[tenant] ?? '', 'SendMessage', {
      message: { messageId: `fair-${tenant}-${n}-${started}`, role: 'ROLE_USER', parts: [{ text: 'hi' }] },
      ...(blocking ? {} : { configuration: { returnImmediately: true } }),
    });

  let peakQueuedA = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peakQueuedA = Math.max(peakQueuedA, await queuedA());
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    const flood = { accepted: 0, refused: 0, malformed: [] as string[] };
    await forEachLimited(o.flood, o.concurrency, async (i) => {
      const a = await send(A, i, false);
      if (a.status === 200 && a.body.result) flood.accepted += 1;
      else if (isClearRefusal(a)) flood.refused += 1;
      else flood.malformed.push(`HTTP ${a.status} ${JSON.stringify(a.body).slice(0, 160)}`);
    });

    const latenciesMs: number[] = [];
    const aQueuedAtEach: number[] = [];
    let completed = 0;
    for (let i = 0; i < o.probes; i++) {
      const t0 = performance.now();
      const a = await send(B, i, true);
      latenciesMs.push(Math.round(performance.now() - t0));
      aQueuedAtEach.push(await queuedA());
      const state = (a.body.result?.task as { status?: { state?: string } } | undefined)?.status?.state;
      if (state === 'TASK_STATE_COMPLETED') completed += 1;
    }
    const sorted = [...latenciesMs].sort((x, y) => x - y);
    const pct = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? 0;
    return {
      options: o,
      seconds: (Date.now() - started) / 1000,
      flood,
      peakQueuedA,
      probes: { completed, latenciesMs, p50Ms: pct(0.5), p99Ms: pct(0.99), aQueuedAtEach },
    };
  } finally {
    sampling = false;
    await sampler;
    await stack.stop();
  }
}

/** 429, a whole-second Retry-After, -32603 RESOURCE_EXHAUSTED. */
function isClearRefusal(a: RpcAnswer): boolean {
  const retryAfter = a.headers.get('retry-after');
  return (
    a.status === 429 &&
    a.body.error?.code === -32603 &&
    reasonOf(a) === 'RESOURCE_EXHAUSTED' &&
    retryAfter !== null &&
    /^\d+$/.test(retryAfter)
  );
}
