/**
 * Resilience 2, fuzzing: generated malformed and hostile JSON-RPC requests (fuzz-arbitraries.ts)
 * sent over real HTTP to the gateway. Every answer must be a JSON-RPC error or result (an SSE
 * answer: its first event), never a 5xx, the process must not crash (no uncaught exception or
 * unhandled rejection), no prototype may be polluted, and the heap after GC must come back to
 * where it was (stored tasks dropped first, since a valid SendMessage legitimately stores one).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { type FuzzRequest, fuzzRequest } from './fuzz-arbitraries';
import { startFuzzGateway } from './fuzz-gateway';
import { forEachLimited } from './rpc-client';

export interface FuzzOptions {
  runs: number;
  seed: number;
}

export interface FuzzReport {
  runs: number;
  seconds: number;
  /** HTTP status -> answers */
  statuses: Record<string, number>;
  /** JSON-RPC error code (or "result") -> answers */
  outcomes: Record<string, number>;
  streams: number;
  violations: string[];
  crashes: string[];
  prototypePolluted: boolean;
  heapBeforeMb: number;
  heapAfterMb: number;
  healthAfter: number;
}

/** global.gc when node runs with --expose-gc, else the same function obtained at run time. */
function gcFunction(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function settledHeapMb(gc: () => void): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return Math.round((process.memoryUsage().heapUsed / 1024 / 1024) * 10) / 10;
}

/** Reads the first SSE event's data, then lets go of the stream. */
async function firstSseData(res: Response, abort: AbortController): Promise<string | undefined> {
  if (!res.body) return undefined;
  const decoder = new TextDecoder();
  let buffer = '';
  const timer = setTimeout(() => abort.abort(), 5_000);
  try {
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true }).replace(/\r\n?/g, '\n');
      const end = buffer.indexOf('\n\n');
      if (end < 0) continue;
      // SSE lines end at CR or LF only (a U+2028 inside the JSON is data, not a line break).
      const lines = buffer.slice(0, end).split('\n');
      const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart());
      if (data.length > 0) return data.join('\n');
      buffer = buffer.slice(end + 2);
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

/** What is wrong with an answer, or undefined. */
function checkEnvelope(text: string | undefined): { problem?: string; outcome?: string } {
  if (text === undefined) return { problem: 'no JSON-RPC answer' };
  let body: { jsonrpc?: unknown; error?: { code?: unknown; message?: unknown }; result?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return { problem: `not JSON: ${text.slice(0, 80)}` };
  }
  if (body.jsonrpc !== '2.0') return { problem: `not a JSON-RPC answer: ${text.slice(0, 120)}` };
  if (body.error !== undefined) {
    const { code, message } = body.error;
    if (!Number.isInteger(code) || typeof message !== 'string')
      return { problem: `malformed error: ${text.slice(0, 120)}` };
    return { outcome: String(code) };
  }
  return 'result' in body
    ? { outcome: 'result' }
    : { problem: `neither error nor result: ${text.slice(0, 120)}` };
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const gc = gcFunction();
  const gateway = await startFuzzGateway();
  const report: FuzzReport = {
    runs: 0,
    seconds: 0,
    statuses: {},
    outcomes: {},
    streams: 0,
    violations: [],
    crashes: [],
    prototypePolluted: false,
    heapBeforeMb: 0,
    heapAfterMb: 0,
    healthAfter: 0,
  };
  const onCrash = (err: unknown) => report.crashes.push(err instanceof Error ? err.message : String(err));
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const send = async (r: FuzzRequest, index: number, count: boolean) => {
    const headers: Record<string, string> = { authorization: `Bearer ${gateway.token}` };
    if (r.contentType !== '') headers['content-type'] = r.contentType;
    if (r.version) headers['a2a-version'] = r.version;
    const abort = new AbortController();
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers,
      body: Buffer.from(r.body, 'utf8'),
      signal: abort.signal,
    });
    const sse = (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
    const text = sse ? await firstSseData(res, abort) : await res.text();
    if (!count) return;
    report.runs += 1;
    report.statuses[res.status] = (report.statuses[res.status] ?? 0) + 1;
    if (sse) report.streams += 1;
    const { problem, outcome } = checkEnvelope(text);
    if (outcome) report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
    const where = `#${index} (seed ${o.seed}, ${r.version ?? '0.3'}, ${r.body.length} chars: ${r.body.slice(0, 100)})`;
    if (res.status >= 500) report.violations.push(`HTTP ${res.status} for ${where}`);
    if (problem) report.violations.push(`${problem} for ${where}`);
  };
  const started = Date.now();
  try {
    // Warm-up (JIT, caches, connection pool), then the measured heap baseline.
    const warm = fc.sample(fuzzRequest, { numRuns: 200, seed: o.seed + 1 });
    await forEachLimited(warm.length, 4, (i) => send(warm[i] as FuzzRequest, i, false));
    gateway.resetStore();
    report.heapBeforeMb = await settledHeapMb(gc);
    const chunk = 100;
    for (let start = 0; start < o.runs; start += chunk) {
      const batch = fc.sample(fuzzRequest, {
        numRuns: Math.min(chunk, o.runs - start),
        seed: o.seed + start,
      });
      await forEachLimited(batch.length, 4, (i) => send(batch[i] as FuzzRequest, start + i, true));
    }
    report.prototypePolluted =
      Object.hasOwn(Object.prototype, 'polluted') || ({} as Record<string, unknown>).polluted !== undefined;
    report.healthAfter = (await fetch(`${gateway.origin}/health`)).status;
    gateway.resetStore();
    // Streams end on their own after 2 s at most; let them, so their buffers are gone too.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    report.heapAfterMb = await settledHeapMb(gc);
  } finally {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    await gateway.close();
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}
