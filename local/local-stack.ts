/**
 * The local stack: gateway + agent workers in one process, with embedded stand-ins for AWS —
 * DynamoDB Local (or the memory store), an in-process queue with SQS semantics, the dev issuer.
 * The workers (agent worker, work DLQ consumer, reconciler: local/local-workers.ts) run the
 * same handlers their Lambdas run, fed by pollers and a timer.
 * Remote A2A agents (`remoteAgents`) have their cards fetched before the app is built (cards are
 * built once per process); their secrets are files under `<dataDir>/secrets/`, and loopback is
 * allowed as a destination. The router is always there.
 */
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import {
  type RemoteRuntimeSettings,
  remoteAgentsRuntime,
} from '../adapters/a2a-remote/remote-agents-runtime';
import { cachedSecretSource, fileSecretSource } from '../adapters/a2a-remote/secret-source';
import { InProcessQueue } from '../adapters/memory/in-process-queue';
import { MemoryCheckpointData } from '../adapters/memory/memory-checkpoint-data';
import { MemoryTaskStore } from '../adapters/memory/memory-task-store';
import { busTaskWatcher, TaskChangeBus, withChangeNotifications } from '../adapters/memory/task-change-bus';
import { withTaskMetrics } from '../adapters/metrics/metered';
import { withPushTrigger } from '../adapters/push/push-trigger';
import { createWebhookUrlPolicy } from '../adapters/push/webhook-url-policy';
import { withQueuedCountReuse } from '../adapters/shared/queued-count-reuse';
import { type DevIssuer, devIssuerVerifier, loadOrCreateDevIssuer } from '../authorizer/dev-issuer';
import { type AgentCatalog, BUILT_IN_AGENTS, createAgentCatalog, servedAgents } from '../core/agent-catalog';
import { randomIds, systemClock } from '../core/ports/clock';
import { type Metrics, silentMetrics } from '../core/ports/metrics';
import type { TaskStore } from '../core/ports/task-store';
import type { RemoteAgentConfig } from '../core/remote-agents';
import { buildApp } from '../gateway/app';
import { verifyingResolver } from '../gateway/auth/principal-resolver';
import { DEFAULT_STREAMING_SETTINGS, type StreamingSettings } from '../gateway/streaming/streaming-settings';
import type { RemoteRunSettings } from '../workers/agents/remote/remote-runner';
import type { CheckpointerFactory } from '../workers/graph-runtime/graph-agent';
import { createLocalPush, LOCAL_WEBHOOK_POLICY, type LocalPush, type LocalPushOptions } from './local-push';
import { type LocalWorkers, localCheckpointers, startLocalWorkers } from './local-workers';

export interface LocalStackOptions {
  port: number;
  host: string;
  /** 'dynamodb' spawns DynamoDB Local under dataDir; an endpoint object uses a running one */
  store: 'dynamodb' | 'memory' | { dynamoEndpoint: string; tableName: string };
  /** where DynamoDB Local keeps its data and the dev issuer its key */
  dataDir: string;
  logger: Logger;
  blockingTimeoutMs?: number;
  /** SUBMITTED tasks a tenant may have before SendMessage refuses; default 1,000 (as in AWS) */
  maxQueuedTasksPerTenant?: number;
  resubscribeWaitMs?: number;
  workerConcurrency?: number;
  /** receive wait of the local queue pollers */
  pollWaitSeconds?: number;
  /** the agent worker's lease (default 60 s) */
  leaseMs?: number;
  /** how often the reconciler runs (default 30 s) */
  reconcileIntervalMs?: number;
  /** metrics sink (EMF lines in tests; none by default locally) */
  metrics?: Metrics;
  /** push delivery tuning (tests shorten backoff and timeouts) */
  push?: Partial<Omit<LocalPushOptions, 'dataDir' | 'logger'>>;
  /** SSE streaming is served (and advertised) unless false; fields override the defaults */
  streaming?: false | Partial<StreamingSettings>;
  /** remote A2A agents to put behind the gateway */
  remoteAgents?: readonly RemoteAgentConfig[];
  /** remote agent tuning: calls (timeouts, caps), runs (retries, polling), extra plain-http hosts */
  remote?: {
    calls?: Partial<RemoteRuntimeSettings>;
    runs?: Partial<RemoteRunSettings>;
    allowHttpHosts?: readonly string[];
  };
  /** the agent behind `/` and the root cards (default: echo, the first built-in agent) */
  defaultAgentId?: string;
  /** how long the router waits for one sub-task (default 10 min) */
  routerSubtaskTimeoutMs?: number;
  /** push configs a task may have (PUSH_CONFIGS_PER_TASK_MAX; default 10) */
  pushConfigsPerTaskMax?: number;
  /** memory store: finished tasks kept before the oldest are evicted (default 10,000) */
  maxFinishedTasks?: number;
}

export interface LocalStack {
  url: string;
  /** every agent served: built-in, the router, and the remote agents whose cards were usable */
  agents: AgentCatalog;
  issuer: DevIssuer;
  store: TaskStore;
  queue: InProcessQueue;
  deadLetters: InProcessQueue;
  app: FastifyInstance;
  /** agent worker, DLQ consumer and reconciler */
  workers: LocalWorkers;
  push: LocalPush;
  stop(): Promise<void>;
}

const TABLE = 'a2a-gateway';
export const DEV_JWKS_PATH = '/.well-known/dev-issuer/jwks.json';
const RETENTION_SECONDS = 7 * 86_400;
/**
 * Memory mode keeps this many finished tasks (MEMORY_MAX_FINISHED_TASKS): about 50 MB of heap for
 * echo-sized tasks (~4.7 KB each with their events), which keeps the process under 200 MB, and
 * more than a local session or a test run looks back on.
 */
export const DEFAULT_MAX_FINISHED_TASKS = 10_000;

/** How long the gateway reuses a tenant's queued-work count on DynamoDB (queued-count-reuse.ts). */
const QUEUED_COUNT_REUSE_MS = 1_000;

export async function startLocalStack(o: LocalStackOptions): Promise<LocalStack> {
  const stops: (() => Promise<void>)[] = [];
  try {
    const issuer = await loadOrCreateDevIssuer(o.dataDir);
    const bus = new TaskChangeBus();
    const { store: baseStore, checkpointers } = await openStore(o, stops);
    const push = await createLocalPush({
      dataDir: o.dataDir,
      logger: o.logger,
      ...(o.metrics ? { metrics: o.metrics } : {}),
      ...o.push,
    });
    stops.push(() => push.stop());
    const metrics = o.metrics ?? silentMetrics;
    const store = withTaskMetrics(
      withPushTrigger(withChangeNotifications(baseStore, bus), push.trigger, o.logger),
      metrics,
    );
    push.start(store);
    const deadLetters = new InProcessQueue({ visibilityTimeoutSeconds: 30 });
    const queue = new InProcessQueue({
      visibilityTimeoutSeconds: 90,
      maxReceiveCount: 5,
      deadLetterQueue: deadLetters,
    });
    stops.push(async () => {
      queue.close();
      deadLetters.close();
    });
    const remote = remoteAgentsRuntime({
      configs: o.remoteAgents ?? [],
      policy: {
        allowHttpHosts: [...(LOCAL_WEBHOOK_POLICY.allowHttpHosts ?? []), ...(o.remote?.allowHttpHosts ?? [])],
        allowLoopback: true,
      },
      secrets: cachedSecretSource(fileSecretSource(`${o.dataDir}/secrets`), 60_000),
      clock: systemClock,
      logger: o.logger.child({ service: 'remote-agents' }),
      ...(o.remote?.calls ? { settings: o.remote.calls } : {}),
    });
    const loaded = await remote.load(BUILT_IN_AGENTS.map((a) => a.id));
    const agents = createAgentCatalog(servedAgents(loaded.map((l) => l.descriptor)), o.defaultAgentId);
    const verifier = devIssuerVerifier(issuer);
    // The cards carry the public URL, so a random port is chosen before the app is built.
    const port = o.port === 0 ? await freePort(o.host) : o.port;
    const publicBaseUrl = `http://${o.host}:${port}`;
    const app = await buildApp({
      useCases: {
        // One gateway admits all work here, so DynamoDB's queued-work count can be reused a moment.
        store: o.store === 'memory' ? store : withQueuedCountReuse(store, systemClock, QUEUED_COUNT_REUSE_MS),
        queue,
        watcher: busTaskWatcher(bus, store),
        clock: systemClock,
        ids: randomIds,
        agents,
        webhookUrls: createWebhookUrlPolicy(LOCAL_WEBHOOK_POLICY),
        push: push.trigger,
        logger: o.logger.child({ service: 'gateway' }),
        settings: {
          blockingTimeoutMs: o.blockingTimeoutMs ?? 25_000,
          cancelWaitMs: 5_000,
          maxQueuedTasksPerTenant: o.maxQueuedTasksPerTenant ?? 1_000,
          retentionSeconds: RETENTION_SECONDS,
          pushNotifications: true,
          ...(o.pushConfigsPerTaskMax === undefined
            ? {}
            : { maxPushConfigsPerTask: o.pushConfigsPerTaskMax }),
        },
      },
      principals: verifyingResolver(verifier),
      cards: {
        publicBaseUrl,
        streaming: o.streaming !== false,
        pushNotifications: true,
        extendedAgentCard: true,
      },
      logger: o.logger.child({ service: 'gateway' }),
      bodyLimitBytes: 1_048_576,
      pushKeys: push.keys,
      debugRoutes: true,
      ...(o.metrics ? { metrics: o.metrics } : {}),
      ...(o.streaming === false ? {} : { streaming: { ...DEFAULT_STREAMING_SETTINGS, ...o.streaming } }),
    });
    // The dev issuer's public keys, so the Lambda authorizer's code path can run against it locally.
    app.get(DEV_JWKS_PATH, async () => issuer.jwks);
    stops.push(() => app.close());
    await app.listen({ port, host: o.host });
    const url = publicBaseUrl;

    const workers = startLocalWorkers({
      agents: {
        catalog: agents.all(),
        remote: {
          directory: remote.directory(loaded),
          ...(o.remote?.runs ? { settings: o.remote.runs } : {}),
        },
        router: {
          queue,
          watcher: busTaskWatcher(bus, store),
          ...(o.routerSubtaskTimeoutMs === undefined ? {} : { subtaskTimeoutMs: o.routerSubtaskTimeoutMs }),
        },
      },
      store,
      queue,
      deadLetters,
      visibilityTimeoutSeconds: 90,
      checkpointers,
      logger: o.logger,
      retentionSeconds: RETENTION_SECONDS,
      ...(o.resubscribeWaitMs === undefined ? {} : { resubscribeWaitMs: o.resubscribeWaitMs }),
      ...(o.workerConcurrency === undefined ? {} : { concurrency: o.workerConcurrency }),
      ...(o.pollWaitSeconds === undefined ? {} : { pollWaitSeconds: o.pollWaitSeconds }),
      ...(o.leaseMs === undefined ? {} : { leaseMs: o.leaseMs }),
      ...(o.reconcileIntervalMs === undefined ? {} : { reconcileIntervalMs: o.reconcileIntervalMs }),
      metrics,
      push: push.trigger,
    });
    stops.push(() => workers.stop());
    return { url, agents, issuer, store, queue, deadLetters, app, workers, push, stop: () => stopAll(stops) };
  } catch (err) {
    await stopAll(stops);
    throw err;
  }
}

async function openStore(
  o: LocalStackOptions,
  stops: (() => Promise<void>)[],
): Promise<{ store: TaskStore; checkpointers: CheckpointerFactory }> {
  if (o.store === 'memory') {
    // An evicted task's checkpoints go with it.
    const checkpoints = new MemoryCheckpointData();
    const store = new MemoryTaskStore(systemClock, {
      maxFinishedTasks: o.maxFinishedTasks ?? DEFAULT_MAX_FINISHED_TASKS,
      onEvict: (tenant, taskId) => checkpoints.dropThread(tenant, taskId),
    });
    return { store, checkpointers: localCheckpointers(undefined, checkpoints) };
  }
  // Imported here, so memory mode never loads the AWS SDK (about 10 MB of idle RSS).
  const [
    { dynamoLocalClient },
    { DynamoDBDocumentClient },
    { startDynamoLocalProcess },
    { DynamoTaskStore },
    { ensureTable },
  ] = await Promise.all([
    import('../adapters/dynamo/dynamo-local-client'),
    import('@aws-sdk/lib-dynamodb'),
    import('../adapters/dynamo/dynamo-local-process'),
    import('../adapters/dynamo/dynamo-task-store'),
    import('../adapters/dynamo/table-schema'),
  ]);
  let endpoint: string;
  let tableName = TABLE;
  if (o.store === 'dynamodb') {
    const dynamo = await startDynamoLocalProcess({ dbPath: `${o.dataDir}/dynamodb` });
    stops.push(() => dynamo.stop());
    endpoint = dynamo.endpoint;
  } else {
    ({ dynamoEndpoint: endpoint, tableName } = o.store);
  }
  const raw = dynamoLocalClient(endpoint);
  await ensureTable(raw, tableName);
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return {
    store: new DynamoTaskStore({ client, tableName, logger: o.logger.child({ component: 'task-store' }) }),
    checkpointers: localCheckpointers({ client, tableName }),
  };
}

async function stopAll(stops: (() => Promise<void>)[]): Promise<void> {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
