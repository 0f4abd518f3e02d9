/**
 * Resilience 3, overload: far more concurrent blocking SendMessage requests than the gateway may
 * hold (gateway/overload.ts bounds them per process and per tenant), from a noisy tenant and a
 * quiet one, while two slow workers drain the queue. Expected: the in-flight counts never pass
 * their bounds (bounded queueing), every refusal is a clear 503 or 429 with Retry-After and a
 * JSON-RPC error body, the gateway serves again right after, and every accepted task completes.
 * Then the event-loop bound: a stalled loop refuses new work (503) and recovers.
 */
import { isTerminal, TaskState } from '../../core/a2a/task-state';
import { systemContext } from '../../core/context';
import type { OverloadSettings, OverloadStats } from '../../gateway/overload';
import { faultFreeStack, startResilienceStack } from './resilience-stack';
import { forEachLimited, pause, postRpc, type RpcAnswer, reasonOf } from './rpc-client';

export interface OverloadOptions {
  requests: number;
  concurrency: number;
  settings: Pick<
    OverloadSettings,
    'maxInFlight' | 'maxInFlightPerTenant' | 'maxEventLoopDelayMs' | 'sampleIntervalMs'
  >;
}

export interface OverloadReport {
  options: OverloadOptions;
  seconds: number;
  /** `${tenant} ${status}` -> answers */
  answers: Record<string, number>;
  accepted: number;
  /** refusals without Retry-After, without a JSON-RPC error, or with an unexpected status */
  malformed: string[];
  guard: OverloadStats;
  /** the largest number of work messages waiting at once */
  peakQueued: number;
  acceptedCompleted: number;
  acceptedNotCompleted: string[];
  /** after the flood, sends that honour Retry-After: how many completed, and the refusals on the way */
  recovery: { sent: number; completed: number; refusedOnTheWay: number };
  eventLoop: { whileStalled: string; afterwards: string };
}

const TENANTS = ['noisy', 'quiet'] as const;

function classify(a: RpcAnswer | undefined, malformed: string[]): string {
  if (!a) return 'network error';
  if (a.status === 200) return a.body.result ? '200' : `200 ${a.body.error?.code}`;
  const expected = a.status === 503 ? 'UNAVAILABLE' : a.status === 429 ? 'RESOURCE_EXHAUSTED' : undefined;
  const retryAfter = a.headers.get('retry-after');
  if (
    !expected ||
    reasonOf(a) !== expected ||
    a.body.error?.code !== -32603 ||
    !retryAfter ||
    !/^\d+$/.test(retryAfter)
  ) {
    malformed.push(`HTTP ${a.status}, Retry-After ${retryAfter}, ${JSON.stringify(a.body).slice(0, 160)}`);
  }
  return String(a.status);
}

export async function runOverloadScenario(o: OverloadOptions): Promise<OverloadReport> {
  const started = Date.now();
  const stack = await startResilienceStack({
    ...faultFreeStack({ workers: 2, agentDelayMs: 10, blockingTimeoutMs: 20_000 }),
    overload: { ...o.settings, retryAfterSeconds: 1 },
  });
  const guard = stack.overload;
  if (!guard) throw new Error('the overload guard is not registered');
  const url = `${stack.url}/agents/echo`;
  const tokens = Object.fromEntries(
    await Promise.all(
      TENANTS.map(
        async (t) =>
          [t, await stack.issuer.mint({ tenant: t, scopes: ['tasks:submit', 'tasks:read'] })] as const,
      ),
    ),
  );
  const answers: Record<string, number> = {};
  const malformed: string[] = [];
  const accepted: { tenant: string; id: string }[] = [];
  const send = async (tenant: (typeof TENANTS)[number], n: number) => {
    const answer = await postRpc(url, tokens[tenant] ?? '', 'SendMessage', {
      message: {
        messageId: `overload-${tenant}-${n}-${started}`,
        role: 'ROLE_USER',
        parts: [{ text: 'load' }],
      },
    }).catch(() => undefined);
    const kind = classify(answer, malformed);
    answers[`${tenant} ${kind}`] = (answers[`${tenant} ${kind}`] ?? 0) + 1;
    const id = (answer?.body.result?.task as { id?: string } | undefined)?.id;
    if (id) accepted.push({ tenant, id });
    return answer;
  };

  /** A client that honours Retry-After: resends the same message until it is served (or 10 tries). */
  const sendUntilServed = async (tenant: (typeof TENANTS)[number], n: number) => {
    let refused = 0;
    for (let attempt = 0; attempt < 10; attempt++) {
      const a = await send(tenant, n);
      if (a && a.status !== 503 && a.status !== 429) return { answer: a, refused };
      refused += 1;
      await pause(Number(a?.headers.get('retry-after') ?? '1') * 1000);
    }
    return { answer: undefined, refused };
  };

  let peakQueued = 0;
  const sampler = setInterval(() => {
    peakQueued = Math.max(peakQueued, stack.workQueue.approximateCount());
  }, 5);
  try {
    // The flood: three requests of the noisy tenant for one of the quiet one, all at once.
    await forEachLimited(o.requests, o.concurrency, async (i) => {
      await send(i % 4 === 3 ? 'quiet' : 'noisy', i);
    });
    clearInterval(sampler);
    // Recovery: one request at a time, each resent after Retry-After if refused (a loaded
    // machine may still show a stalled event loop right after the flood).
    let recovered = 0;
    let refusedOnTheWay = 0;
    for (let i = 0; i < 10; i++) {
      const { answer, refused } = await sendUntilServed('quiet', o.requests + i);
      refusedOnTheWay += refused;
      const state = (answer?.body.result?.task as { status?: { state?: string } } | undefined)?.status?.state;
      if (state === TaskState.Completed) recovered += 1;
    }
    // Nothing lost: every task the gateway accepted completes.
    const deadline = Date.now() + 30_000;
    let notCompleted: string[] = [];
    do {
      notCompleted = [];
      for (const a of accepted) {
        const task = await stack.truth.get(systemContext(a.tenant, 'audit'), a.id);
        if (!task || !isTerminal(task.status.state) || task.status.state !== TaskState.Completed)
          notCompleted.push(a.id);
      }
      if (notCompleted.length > 0) await pause(100);
    } while (notCompleted.length > 0 && Date.now() < deadline);
    // A stalled event loop: refused while stalled, served again once it runs freely.
    const stallUntil = Date.now() + o.settings.maxEventLoopDelayMs * 3;
    while (Date.now() < stallUntil) {
      // busy: the process does nothing else, as when a request hogs the CPU
    }
    await pause(10);
    const stalled = await send('quiet', -1);
    await pause(o.settings.sampleIntervalMs * 5);
    const after = (await sendUntilServed('quiet', -2)).answer;
    return {
      options: o,
      seconds: (Date.now() - started) / 1000,
      answers,
      accepted: accepted.length,
      malformed,
      guard: guard.stats(),
      peakQueued,
      acceptedCompleted: accepted.length - notCompleted.length,
      acceptedNotCompleted: notCompleted,
      recovery: { sent: 10, completed: recovered, refusedOnTheWay },
      eventLoop: {
        whileStalled: `${stalled?.status} ${stalled?.body.error?.data?.[0]?.metadata?.limit ?? ''}`.trim(),
        afterwards: String(after?.status),
      },
    };
  } finally {
    clearInterval(sampler);
    await stack.stop();
  }
}
