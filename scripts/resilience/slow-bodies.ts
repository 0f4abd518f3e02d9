/**
 * Resilience 4, slow bodies: an attacker tenant opens many authenticated connections and sends
 * each body one byte at a time (reconnecting whenever the gateway closes one), while a quiet
 * tenant keeps sending quick requests. Expected: the attacker holds at most its tenant share of
 * the in-flight slots (the rest are refused at once with 429), its slow bodies end with 408 at the
 * request bound (gateway/request-timeouts.ts), and the quiet tenant is always served, with its p99
 * latency and the process's peak RSS reported.
 */
import { connect } from 'node:net';
import type { OverloadSettings, OverloadStats } from '../../gateway/overload';
import type { RequestTimeouts } from '../../gateway/request-timeouts';
import { faultFreeStack, startResilienceStack } from './resilience-stack';
import { pause } from './rpc-client';
import { probeVictim, quickSend, sampleRss, type VictimFigures } from './victim-probe';

export interface SlowBodyOptions {
  /** connections the attacker keeps open */
  sockets: number;
  /** one body byte per this many ms */
  trickleMs: number;
  durationMs: number;
  settings: Pick<OverloadSettings, 'maxInFlight' | 'maxInFlightPerTenant'>;
  requestTimeouts: RequestTimeouts;
}

export interface SlowBodyReport {
  options: SlowBodyOptions;
  seconds: number;
  attack: { connections: number; answers: Record<string, number>; unclear: string[] };
  victim: VictimFigures;
  rss: { startMb: number; peakMb: number };
  guard: OverloadStats;
}

export async function runSlowBodyScenario(o: SlowBodyOptions): Promise<SlowBodyReport> {
  const started = Date.now();
  const stack = await startResilienceStack({
    ...faultFreeStack({ workers: 1, agentDelayMs: 0, blockingTimeoutMs: 5_000 }),
    overload: { ...o.settings, retryAfterSeconds: 1 },
    requestTimeouts: o.requestTimeouts,
  });
  const guard = stack.overload;
  if (!guard) throw new Error('the overload guard is not registered');
  const { port } = new URL(stack.url);
  const scopes = ['tasks:submit', 'tasks:read'];
  const attacker = await stack.issuer.mint({ tenant: 'attacker', scopes });
  const victim = await stack.issuer.mint({ tenant: 'victim', scopes });
  const answers: Record<string, number> = {};
  const unclear: string[] = [];
  let connections = 0;
  let running = true;

  /** One attacker connection: headers, then a body that never ends; reconnects when closed. */
  const attack = async (): Promise<void> => {
    while (running) {
      connections += 1;
      const raw = await new Promise<string>((resolve) => {
        let got = '';
        const socket = connect(Number(port), '127.0.0.1');
        socket.setEncoding('utf8');
        socket.on('data', (d: string) => {
          got += d;
        });
        socket.on('error', () => undefined);
        const trickle = setInterval(() => {
          if (!running) socket.destroy();
          else if (!socket.destroyed) socket.write(' ');
        }, o.trickleMs);
        socket.on('close', () => {
          clearInterval(trickle);
          resolve(got);
        });
        socket.write(
          'POST /agents/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
            `A2A-Version: 1.0\r\nAuthorization: Bearer ${attacker}\r\nContent-Length: 65536\r\n\r\n{`,
        );
      });
      if (raw === '') {
        if (running) answers['closed without answer'] = (answers['closed without answer'] ?? 0) + 1;
      } else {
        const status = raw.slice(9, 12);
        answers[status] = (answers[status] ?? 0) + 1;
        const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
        if (!/"jsonrpc":"2.0"/.test(body)) unclear.push(`${status} ${body.slice(0, 120)}`);
      }
      await pause(50);
    }
  };

  const rss = sampleRss();
  const attackers = Array.from({ length: o.sockets }, () => attack());
  try {
    await pause(200);
    const probe = probeVictim(quickSend(`${stack.url}/agents/echo`, victim, 'slow-bodies'));
    await pause(o.durationMs);
    const victimFigures = await probe.stop();
    running = false;
    await Promise.all(attackers);
    return {
      options: o,
      seconds: (Date.now() - started) / 1000,
      attack: { connections, answers, unclear },
      victim: victimFigures,
      rss: rss.stop(),
      guard: guard.stats(),
    };
  } finally {
    running = false;
    rss.stop();
    await stack.stop();
  }
}
