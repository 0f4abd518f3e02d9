/**
 * The local stack as a benchmark target (serve-target.ts): what `npm start` runs — gateway and
 * in-process workers in one process, logs at info (to /dev/null) — on the memory store or on the
 * DynamoDB Local at BENCH_DYNAMO_ENDPOINT (the section starts it, in memory, and stops it; from
 * a bundle the launcher's Java source is not at hand). A counting metrics
 * sink (the stack's own TasksCreated / TasksFinished decorator) tells how many echo tasks were
 * created and COMPLETED, without reading the store.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StartedServer } from './sdk-reference-server';

export type StackStore = 'memory' | 'dynamodb';

/** Part of serve-target.ts's ChildStats: the queue, the echo tasks counted, the memory store. */
export interface StackStats {
  queued: number;
  created: number;
  completed: number;
  heldTasks?: number;
  evictedTasks?: number;
}

export type StackServed = StartedServer & { stats: () => Promise<StackStats> };

/** Imported lazily, so a process holds only the code it serves (fair RSS). */
export async function startStack(storeKind: StackStore): Promise<StackServed> {
  const [
    { default: pino },
    { createLogger },
    { ALL_SCOPES },
    { TaskState },
    { Metric },
    { startLocalStack },
  ] = await Promise.all([
    import('pino'),
    import('../../adapters/logging/logger'),
    import('../../authorizer/dev-issuer'),
    import('../../core/a2a/task-state'),
    import('../../core/ports/metrics'),
    import('../../local/local-stack'),
  ]);
  const counts = { created: 0, completed: 0 };
  const metrics = {
    count(name: string, dimensions?: Readonly<Record<string, string>>) {
      if (dimensions?.agent !== 'echo') return;
      if (name === Metric.TasksCreated) counts.created += 1;
      else if (name === Metric.TasksFinished && dimensions.state === TaskState.Completed)
        counts.completed += 1;
    },
    duration() {},
  };
  const endpoint = process.env.BENCH_DYNAMO_ENDPOINT;
  if (storeKind === 'dynamodb' && !endpoint) throw new Error('stack-dynamo needs BENCH_DYNAMO_ENDPOINT');
  const stack = await startLocalStack({
    port: 0,
    host: '127.0.0.1',
    store:
      storeKind === 'dynamodb' && endpoint
        ? { dynamoEndpoint: endpoint, tableName: 'a2a-gateway' }
        : 'memory',
    dataDir: await mkdtemp(join(tmpdir(), 'bench-stack-')),
    logger: createLogger({ level: 'info', destination: pino.destination({ dest: '/dev/null', sync: true }) }),
    metrics,
    // as `npm start` reads it; the scale benchmark's quick run lowers the cap to match its sizes
    ...(process.env.MEMORY_MAX_FINISHED_TASKS
      ? { maxFinishedTasks: Number(process.env.MEMORY_MAX_FINISHED_TASKS) }
      : {}),
  });
  const token = await stack.issuer.mint({ tenant: 'bench', scopes: [...ALL_SCOPES], ttlSeconds: 3600 });
  return {
    origin: stack.url,
    path: '/agents/echo',
    headers: { authorization: `Bearer ${token}`, 'a2a-version': '1.0' },
    close: () => stack.stop(),
    stats: async () => {
      // The memory store behind the stack's decorators (they forward other properties).
      const memory = stack.store as Partial<Record<'size' | 'evictedTasks', number>>;
      return {
        queued: stack.queue.approximateCount(),
        created: counts.created,
        completed: counts.completed,
        ...(storeKind === 'dynamodb'
          ? {}
          : { heldTasks: memory.size ?? 0, evictedTasks: memory.evictedTasks ?? 0 }),
      };
    },
  };
}
