/**
 * What an attack does to everyone else: a quiet tenant's requests, one after another, timed while
 * the attack runs, and the process's peak RSS. The attack scenarios (slow bodies, large lists)
 * report these figures.
 */
import { pause, postRpc, type RpcAnswer } from './rpc-client';

export interface VictimFigures {
  requests: number;
  /** HTTP status -> answers */
  statuses: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface VictimProbe {
  stop(): Promise<VictimFigures>;
}

/** Sends `call` in a loop (one at a time, `gapMs` apart) until stopped; times each answer. */
export function probeVictim(call: (n: number) => Promise<RpcAnswer>, gapMs = 20): VictimProbe {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let running = true;
  const loop = (async () => {
    for (let n = 0; running; n++) {
      const t0 = performance.now();
      const status = await call(n).then(
        (a) => String(a.status),
        () => 'network error',
      );
      latencies.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
      await pause(gapMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const sorted = [...latencies].sort((a, b) => a - b);
      return {
        requests: sorted.length,
        statuses,
        p50Ms: Math.round(percentile(sorted, 0.5)),
        p99Ms: Math.round(percentile(sorted, 0.99)),
        maxMs: Math.round(sorted.at(-1) ?? 0),
      };
    },
  };
}

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0);

export interface RssSampler {
  /** peak and starting RSS in MB */
  stop(): { startMb: number; peakMb: number };
}

export function sampleRss(everyMs = 20): RssSampler {
  const mb = () => process.memoryUsage.rss() / 1024 / 1024;
  const startMb = mb();
  let peak = startMb;
  const timer = setInterval(() => {
    peak = Math.max(peak, mb());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, mb());
      return { startMb: Math.round(startMb), peakMb: Math.round(peak) };
    },
  };
}

/** A victim call: a quick SendMessage that does not wait for the agent. */
export const quickSend = (url: string, token: string, tag: string) => (n: number) =>
  postRpc(url, token, 'SendMessage', {
    message: { messageId: `victim-${tag}-${n}-${Date.now()}`, role: 'ROLE_USER', parts: [{ text: 'hi' }] },
    configuration: { returnImmediately: true },
  });
