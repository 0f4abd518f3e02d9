/**
 * The local stack: gateway + agent workers in one process, with embedded stand-ins for AWS —
 * DynamoDB Local (or the memory store), an in-process queue with SQS semantics, the dev issuer.
 * The workers run the same SQS handler that Lambda runs, fed by a poller.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { startDynamoLocalProcess } from '../adapters/dynamo/dynamo-local-process';
import { DynamoTaskStore } from '../adapters/dynamo/dynamo-task-store';
import { ensureTable } from '../adapters/dynamo/table-schema';
import { InProcessQueue } from '../adapters/memory/in-process-queue';
import { MemoryTaskStore } from '../adapters/memory/memory-task-store';
import { busTaskWatcher, TaskChangeBus, withChangeNotifications } from '../adapters/memory/task-change-bus';
import { type DevIssuer, loadOrCreateDevIssuer } from '../authorizer/dev-issuer';
import { createTokenVerifier } from '../authorizer/token-verifier';
import { createAgentCatalog } from '../core/agent-catalog';
import { randomIds, systemClock } from '../core/ports/clock';
import type { TaskStore } from '../core/ports/task-store';
import { buildApp } from '../gateway/app';
import { verifyingResolver } from '../gateway/auth/principal-resolver';
import { httpsOnlyWebhookPolicy } from '../gateway/webhook-policy';
import { createAgentWorkerHandler } from '../workers/agent-worker/handler';
import { createAgentRegistry } from '../workers/agents/registry';
import { type QueuePoller, startQueuePoller } from '../workers/runtime/queue-poller';

export interface LocalStackOptions {
  port: number;
  host: string;
  /** 'dynamodb' spawns DynamoDB Local under dataDir; an endpoint object uses a running one */
  store: 'dynamodb' | 'memory' | { dynamoEndpoint: string; tableName: string };
  /** where DynamoDB Local keeps its data and the dev issuer its key */
  dataDir: string;
  logger: Logger;
  blockingTimeoutMs?: number;
  resubscribeWaitMs?: number;
  workerConcurrency?: number;
  /** receive wait of the local queue pollers */
  pollWaitSeconds?: number;
}

export interface LocalStack {
  url: string;
  issuer: DevIssuer;
  store: TaskStore;
  queue: InProcessQueue;
  deadLetters: InProcessQueue;
  app: FastifyInstance;
  stop(): Promise<void>;
}

const TABLE = 'a2a-gateway';
const RETENTION_SECONDS = 7 * 86_400;

export async function startLocalStack(o: LocalStackOptions): Promise<LocalStack> {
  const stops: (() => Promise<void>)[] = [];
  try {
    const issuer = await loadOrCreateDevIssuer(o.dataDir);
    const bus = new TaskChangeBus();
    const baseStore = await openStore(o, stops);
    const store = withChangeNotifications(baseStore, bus);
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
    const agents = createAgentCatalog();
    const verifier = createTokenVerifier({
      issuer: issuer.issuer,
      audience: issuer.audience,
      jwks: issuer.jwks,
      algorithms: ['ES256'],
      tenantClaim: 'tenant',
      clockToleranceSeconds: 30,
    });
    // The cards carry the public URL, so a random port is chosen before the app is built.
    const port = o.port === 0 ? await freePort(o.host) : o.port;
    const publicBaseUrl = `http://${o.host}:${port}`;
    const app = await buildApp({
      useCases: {
        store,
        queue,
        watcher: busTaskWatcher(bus, store),
        clock: systemClock,
        ids: randomIds,
        agents,
        webhookUrls: httpsOnlyWebhookPolicy(['127.0.0.1', 'localhost', '[::1]']),
        logger: o.logger.child({ service: 'gateway' }),
        settings: {
          blockingTimeoutMs: o.blockingTimeoutMs ?? 25_000,
          cancelWaitMs: 5_000,
          retentionSeconds: RETENTION_SECONDS,
          pushNotifications: true,
        },
      },
      principals: verifyingResolver(verifier),
      cards: { publicBaseUrl, streaming: false, pushNotifications: true, extendedAgentCard: false },
      logger: o.logger.child({ service: 'gateway' }),
      bodyLimitBytes: 1_048_576,
    });
    stops.push(() => app.close());
    await app.listen({ port, host: o.host });
    const url = publicBaseUrl;

    const handler = createAgentWorkerHandler({
      store,
      agents: createAgentRegistry({ resubscribeWaitMs: o.resubscribeWaitMs ?? 10_000 }),
      clock: systemClock,
      logger: o.logger.child({ service: 'agent-worker' }),
      settings: { leaseMs: 60_000, heartbeatMs: 1_000, retentionSeconds: RETENTION_SECONDS },
      workerId: `local-${randomUUID().slice(0, 8)}`,
    });
    const pollers: QueuePoller[] = [];
    for (let i = 0; i < (o.workerConcurrency ?? 4); i++) {
      pollers.push(
        startQueuePoller({
          queue,
          handler,
          batchSize: 1,
          waitSeconds: o.pollWaitSeconds ?? 1,
          logger: o.logger,
        }),
      );
    }
    stops.push(async () => {
      await Promise.all(pollers.map((p) => p.stop()));
    });
    return { url, issuer, store, queue, deadLetters, app, stop: () => stopAll(stops) };
  } catch (err) {
    await stopAll(stops);
    throw err;
  }
}

async function openStore(o: LocalStackOptions, stops: (() => Promise<void>)[]): Promise<TaskStore> {
  if (o.store === 'memory') return new MemoryTaskStore();
  let endpoint: string;
  let tableName = TABLE;
  if (o.store === 'dynamodb') {
    const dynamo = await startDynamoLocalProcess({ dbPath: `${o.dataDir}/dynamodb` });
    stops.push(() => dynamo.stop());
    endpoint = dynamo.endpoint;
  } else {
    ({ dynamoEndpoint: endpoint, tableName } = o.store);
  }
  const raw = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(raw, tableName);
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return new DynamoTaskStore({ client, tableName });
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
