/**
 * Child process of the benchmarks: serves one target on 127.0.0.1 so the load generator (the
 * parent) does not share its event loop. Protocol on stdio, one line each:
 *   child -> `READY {"origin","path","headers"}`    parent -> `stats`  child -> `STATS {...}`
 *   parent -> `stop` (or closing stdin) ends it.
 * Targets: bare | sdk | gateway-info | gateway-silent | gateway-rest (the info gateway, loaded
 * through HTTP+JSON) | stack (the local stack, memory store).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { StartedServer } from './sdk-reference-server';

export const SERVE_TARGETS = [
  'bare',
  'sdk',
  'gateway-info',
  'gateway-silent',
  'gateway-rest',
  'stack',
] as const;
export type ServeTarget = (typeof SERVE_TARGETS)[number];

export interface ChildStats {
  rssBytes: number;
  maxRssBytes: number;
  heapUsedBytes: number;
  /** user + system CPU time the process has used */
  cpuMicros: number;
  /** gateway only: log lines written */
  logLines?: number;
  /** stack only: work messages not yet deleted, and echo tasks COMPLETED for tenant `bench` */
  queued?: number;
  /** COMPLETED tasks still held plus the finished tasks the memory store evicted (all echo tasks) */
  completed?: number;
  /** stack only: tasks the memory store holds, and how many it evicted */
  heldTasks?: number;
  evictedTasks?: number;
}

type Served = StartedServer & { stats?: () => Promise<Partial<ChildStats>> };

/** Each target is imported lazily, so a process holds only the code it serves (fair RSS). */
async function startStack(): Promise<Served> {
  const [
    { default: pino },
    { createLogger },
    { ALL_SCOPES },
    { TaskState },
    { systemContext },
    { startLocalStack },
  ] = await Promise.all([
    import('pino'),
    import('../../adapters/logging/logger'),
    import('../../authorizer/dev-issuer'),
    import('../../core/a2a/task-state'),
    import('../../core/context'),
    import('../../local/local-stack'),
  ]);
  const stack = await startLocalStack({
    port: 0,
    host: '127.0.0.1',
    store: 'memory',
    dataDir: await mkdtemp(join(tmpdir(), 'bench-stack-')),
    logger: createLogger({ level: 'info', destination: pino.destination({ dest: '/dev/null', sync: true }) }),
    // as `npm start` reads it; the scale benchmark's quick run lowers the cap to match its sizes
    ...(process.env.MEMORY_MAX_FINISHED_TASKS
      ? { maxFinishedTasks: Number(process.env.MEMORY_MAX_FINISHED_TASKS) }
      : {}),
  });
  const token = await stack.issuer.mint({ tenant: 'bench', scopes: [...ALL_SCOPES], ttlSeconds: 3600 });
  const ctx = systemContext('bench', 'bench-stats');
  return {
    origin: stack.url,
    path: '/agents/echo',
    headers: { authorization: `Bearer ${token}`, 'a2a-version': '1.0' },
    close: () => stack.stop(),
    stats: async () => {
      // The stack's store is the memory store behind decorators that forward other properties.
      const memory = stack.store as Partial<Record<'size' | 'evictedTasks', number>>;
      const evictedTasks = memory.evictedTasks ?? 0;
      const listed = await stack.store.list(ctx, {
        agentId: 'echo',
        status: TaskState.Completed,
        pageSize: 1,
      });
      return {
        queued: stack.queue.approximateCount(),
        completed: listed.totalSize + evictedTasks,
        heldTasks: memory.size ?? 0,
        evictedTasks,
      };
    },
  };
}

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
      return startStack();
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
