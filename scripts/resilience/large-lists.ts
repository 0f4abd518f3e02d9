/**
 * Resilience 5, large lists: an attacker tenant owns many large tasks (an artifact of ~90 KB and a
 * long history each) and asks for them in parallel, pageSize 100 with includeArtifacts and
 * historyLength 100, over and over, while a quiet tenant keeps sending quick requests. Expected:
 * every page stays within the byte budget (a single task over it comes back alone), walking the
 * pages returns every task exactly once, and the quiet tenant is always served, with its p99
 * latency and the process's peak RSS reported.
 */
import { TaskState } from '../../core/a2a/task-state';
import { systemContext } from '../../core/context';
import type { TaskRecord } from '../../core/task-record';
import { faultFreeStack, startResilienceStack } from './resilience-stack';
import { forEachLimited, pause } from './rpc-client';
import { probeVictim, quickSend, sampleRss, type VictimFigures } from './victim-probe';

export interface LargeListOptions {
  tasks: number;
  artifactBytes: number;
  /** ListTasks requests of the attacker in flight at once */
  parallel: number;
  durationMs: number;
  listPageMaxBytes: number;
}

export interface LargeListReport {
  options: LargeListOptions;
  seconds: number;
  attack: {
    pages: number;
    /** HTTP status -> answers */
    statuses: Record<string, number>;
    largestAnswerBytes: number;
    tasksPerPage: { min: number; max: number };
  };
  /** one walk over every page: tasks seen, distinct, expected */
  walk: { pages: number; seen: number; distinct: number; expected: number };
  victim: VictimFigures;
  rss: { startMb: number; peakMb: number };
}

const LIST_PARAMS = { pageSize: 100, includeArtifacts: true, historyLength: 100 };

export async function runLargeListScenario(o: LargeListOptions): Promise<LargeListReport> {
  const started = Date.now();
  const stack = await startResilienceStack({
    ...faultFreeStack({ workers: 1, agentDelayMs: 0, blockingTimeoutMs: 5_000 }),
    listPageMaxBytes: o.listPageMaxBytes,
  });
  const url = `${stack.url}/agents/echo`;
  const scopes = ['tasks:submit', 'tasks:read'];
  const attacker = await stack.issuer.mint({ tenant: 'attacker', scopes });
  const victim = await stack.issuer.mint({ tenant: 'victim', scopes });
  await seedLargeTasks(stack.truth, o);

  const statuses: Record<string, number> = {};
  const perPage = { min: Number.POSITIVE_INFINITY, max: 0 };
  let largest = 0;
  let pages = 0;
  /** One page; returns its tasks and token (`parse` false: only measured, as a flood needs no more). */
  const page = async (pageToken: string, parse = true): Promise<{ ids: string[]; next: string }> => {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${attacker}`,
        'content-type': 'application/json',
        'a2a-version': '1.0',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'ListTasks',
        params: pageToken === '' ? LIST_PARAMS : { ...LIST_PARAMS, pageToken },
      }),
    });
    const text = await res.text();
    pages += 1;
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    largest = Math.max(largest, Buffer.byteLength(text));
    if (!parse) return { ids: [], next: '' };
    const result = (JSON.parse(text) as { result?: { tasks: { id: string }[]; nextPageToken: string } })
      .result;
    const ids = result?.tasks.map((t) => t.id) ?? [];
    perPage.min = Math.min(perPage.min, ids.length);
    perPage.max = Math.max(perPage.max, ids.length);
    return { ids, next: result?.nextPageToken ?? '' };
  };
  const walkAll = async () => {
    const ids: string[] = [];
    let token = '';
    let n = 0;
    do {
      const p = await page(token);
      ids.push(...p.ids);
      token = p.next;
      n += 1;
    } while (token !== '' && n < 10_000);
    return { pages: n, ids };
  };

  const rss = sampleRss();
  try {
    const walked = await walkAll();
    let running = true;
    const probe = probeVictim(quickSend(url, victim, 'large-lists'));
    const attack = forEachLimited(o.parallel, o.parallel, async () => {
      while (running) await page('', false);
    });
    await pause(o.durationMs);
    const victimFigures = await probe.stop();
    running = false;
    await attack;
    return {
      options: o,
      seconds: (Date.now() - started) / 1000,
      attack: {
        pages,
        statuses,
        largestAnswerBytes: largest,
        tasksPerPage: { min: perPage.min, max: perPage.max },
      },
      walk: {
        pages: walked.pages,
        seen: walked.ids.length,
        distinct: new Set(walked.ids).size,
        expected: o.tasks,
      },
      victim: victimFigures,
      rss: rss.stop(),
    };
  } finally {
    rss.stop();
    await stack.stop();
  }
}

/** Completed tasks of the attacker, each with one large artifact and 100 history messages. */
async function seedLargeTasks(
  store: Awaited<ReturnType<typeof startResilienceStack>>['truth'],
  o: LargeListOptions,
): Promise<void> {
  const ctx = systemContext('attacker', 'seed');
  const text = 'x'.repeat(o.artifactBytes);
  for (let i = 0; i < o.tasks; i++) {
    const createdAt = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
    const history = Array.from({ length: 100 }, (_, m) => ({
      messageId: `seed-${i}-${m}`,
      role: 'ROLE_USER' as const,
      parts: [{ text: `message ${m}` }],
    }));
    const task: TaskRecord = {
      tenant: 'attacker',
      id: `large-${i}`,
      contextId: `ctx-${i}`,
      agentId: 'echo',
      owner: 'seed',
      status: { state: TaskState.Completed, timestamp: createdAt },
      artifacts: [{ artifactId: `art-${i}`, parts: [{ text }] }],
      history,
      version: 1,
      createdAt,
      protocol: '1.0',
    };
    const events = [{ seq: 1, at: createdAt, event: { kind: 'status' as const, status: task.status } }];
    await store.create(ctx, { task, events, idempotencyKey: `seed-${i}` });
  }
}
