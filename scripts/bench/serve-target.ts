/**
 * Child process of the benchmarks: serves one target on 127.0.0.1 so the load generator (the
 * parent) does not share its event loop. Protocol on stdio, one line each:
 *   child -> `READY {"origin","path","headers"}`    parent -> `stats`  child -> `STATS {...}`
 *   parent -> `stop` (or closing stdin) ends it.
 * Targets: bare | sdk | gateway-info | gateway-silent | gateway-rest (the info gateway, loaded
 * through HTTP+JSON) | stack (the local stack, memory store) | stack-dynamo (the local stack on a
 * DynamoDB Local in memory) | sdk-complete (the reference with an executor that completes tasks).
 */
import { createInterface } from 'node:readline';
import type { StartedServer } from './sdk-reference-server';

export const SERVE_TARGETS = [
  'bare',
  'sdk',
  'gateway-info',
  'gateway-silent',
  'gateway-rest',
  'stack',
  'stack-dynamo',
  'sdk-complete',
] as const;
export type ServeTarget = (typeof SERVE_TARGETS)[number];

export interface ChildStats {
  rssBytes: number;
  maxRssBytes: number;
  heapUsedBytes: number;
  /** V8's committed heap, and memory outside it (Buffers and other external allocations) */
  heapTotalBytes: number;
  externalBytes: number;
  /** user + system CPU time the process has used */
  cpuMicros: number;
  /** gateway only: log lines written */
  logLines?: number;
  /** stack only: work messages not yet deleted */
  queued?: number;
  /** stack and sdk-complete: echo tasks created, and echo tasks that reached COMPLETED */
  created?: number;
  completed?: number;
  /** stack only: tasks the memory store holds, and how many it evicted */
  heldTasks?: number;
  evictedTasks?: number;
}

type Served = StartedServer & { stats?: () => Promise<Partial<ChildStats>> };

async function start(target: ServeTarget): Promise<Served> {
  switch (target) {
    case 'bare':
      return (await import('./gateway-server')).startBareServer();
    case 'sdk':
      return (await import('./sdk-reference-server')).startSdkReferenceServer();
    case 'gateway-info':
      return (await import('./gateway-server')).startGatewayServer('info');
    case 'gateway-silent':
      return (await import('./gateway-server')).startGatewayServer('silent');
    case 'gateway-rest':
      return (await import('./gateway-server')).startGatewayServer('info', 'rest');
    case 'stack':
      return (await import('./stack-target')).startStack('memory');
    case 'stack-dynamo':
      return (await import('./stack-target')).startStack('dynamodb');
    case 'sdk-complete': {
      const sdk = await (await import('./sdk-reference-server')).startSdkReferenceServer({
        completing: true,
      });
      return { ...sdk, stats: async () => sdk.counts() };
    }
  }
}

async function main(): Promise<void> {
  const target = process.argv[2] as ServeTarget;
  if (!SERVE_TARGETS.includes(target)) throw new Error(`target must be one of ${SERVE_TARGETS.join(', ')}`);
  const served = await start(target);
  const { origin, path, headers } = served;
  process.stdout.write(`READY ${JSON.stringify({ origin, path, headers })}\n`);
  const lines = createInterface({ input: process.stdin });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await served.close().catch(() => undefined);
    process.exit(0);
  };
  lines.on('line', (line) => {
    if (line.trim() === 'stop') return void stop();
    if (line.trim() !== 'stats') return;
    void (async () => {
      const m = process.memoryUsage();
      const stats: ChildStats = {
        rssBytes: m.rss,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        heapUsedBytes: m.heapUsed,
        heapTotalBytes: m.heapTotal,
        externalBytes: m.external,
        cpuMicros: process.cpuUsage().user + process.cpuUsage().system,
        ...(await served.stats?.()),
      };
      process.stdout.write(`STATS ${JSON.stringify(stats)}\n`);
    })();
  });
  lines.on('close', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(
    `serve-target failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
