/**
 * The store-cost rig: DynamoDB Local (in memory), the gateway app (app.inject, a fixed principal),
 * the agent worker and the push dispatcher, each on a metered DynamoDB client: one client for the
 * gateway and the worker, one for the dispatcher, so their request units can be told apart. The
 * push trigger runs the dispatcher right after each commit (one dispatcher run per trigger).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FastifyInstance } from 'fastify';
import { type DynamoLocal, startDynamoLocalProcess } from '../../adapters/dynamo/dynamo-local-process';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { ensureTable } from '../../adapters/dynamo/table-schema';
import { MemoryCheckpointData, MemoryCheckpointer } from '../../adapters/memory/memory-checkpointer';
import { pollingTaskWatcher } from '../../adapters/polling/polling-task-watcher';
import { withPushTrigger } from '../../adapters/push/push-trigger';
import type { Principal } from '../../core/context';
import { systemClock } from '../../core/ports/clock';
import { silentLogger } from '../../core/ports/logger';
import type { PushTrigger } from '../../core/ports/push-trigger';
import type { ReceivedMessage, WorkQueue } from '../../core/ports/work-queue';
import { parseWorkMessage, type WorkMessage } from '../../core/work-message';
import { buildApp } from '../../gateway/app';
import { rigGatewayDeps } from '../../local/rig-gateway-deps';
import { runTask } from '../../workers/agent-worker/run-task';
import type { WorkerDeps } from '../../workers/agent-worker/worker-deps';
import { createAgentRegistry } from '../../workers/agents/registry';
import { deliverTaskPushes, type PushDispatchDeps } from '../../workers/push-dispatcher/deliver-pushes';
import { type Meter, meterDynamo } from './dynamo-metering';

const TABLE = 'bench-store-cost';
export const TENANT = 'bench';

/** Keeps the work messages the gateway sends; the rig hands them to the worker. */
class HeldQueue implements WorkQueue {
  readonly held: WorkMessage[] = [];
  async send(body: string): Promise<void> {
    this.held.push(parseWorkMessage(body));
  }
  async receive(): Promise<ReceivedMessage[]> {
    return [];
  }
  async delete(): Promise<void> {}
  async changeVisibility(): Promise<void> {}
}

export interface StoreCostRig {
  app: FastifyInstance;
  /** gateway + worker requests */
  meter: Meter;
  /** push dispatcher requests */
  pushMeter: Meter;
  readonly triggers: number;
  rpc(method: string, params: unknown): Promise<Record<string, unknown>>;
  /** runs every held work message through the worker */
  work(): Promise<void>;
  stop(): Promise<void>;
}

function meteredClient(endpoint: string): { raw: DynamoDBClient; doc: DynamoDBDocumentClient; meter: Meter } {
  const raw = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const meter = meterDynamo(raw);
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return { raw, doc, meter };
}

export async function startStoreCostRig(): Promise<StoreCostRig> {
  const dynamo: DynamoLocal = await startDynamoLocalProcess({ inMemory: true });
  try {
    const main = meteredClient(dynamo.endpoint);
    const push = meteredClient(dynamo.endpoint);
    await ensureTable(main.raw, TABLE);
    const dispatch: PushDispatchDeps = {
      store: new DynamoTaskStore({ client: push.doc, tableName: TABLE }),
      sender: { send: async () => ({ ok: true, status: 200, latencyMs: 0 }) },
      clock: systemClock,
      logger: silentLogger,
      settings: { suspendAfter: 5, leaseMs: 60_000 },
      dispatcherId: 'bench',
    };
    let triggers = 0;
    const trigger: PushTrigger = {
      async taskChanged(ctx, taskId, fromSeq) {
        triggers += 1;
        await deliverTaskPushes(dispatch, ctx, taskId, fromSeq);
      },
    };
    const store = withPushTrigger(
      new DynamoTaskStore({ client: main.doc, tableName: TABLE }),
      trigger,
      silentLogger,
    );
    const queue = new HeldQueue();
    const principal: Principal = {
      tenant: TENANT,
      subject: 'bench',
      scopes: ['tasks:submit', 'tasks:read', 'webhooks:manage'],
    };
    const app = await buildApp(
      rigGatewayDeps({
        store,
        queue,
        watcher: pollingTaskWatcher(store),
        push: trigger,
        principals: { resolve: async () => ({ ok: true, principal }) },
        // the deployed default cap: each SendMessage counts the tenant's queued tasks (GSI5)
        settings: { blockingTimeoutMs: 5_000, retentionSeconds: 86_400, maxQueuedTasksPerTenant: 1_000 },
      }),
    );
    const checkpoints = new MemoryCheckpointData();
    const worker: WorkerDeps = {
      store,
      agents: createAgentRegistry({ resubscribeWaitMs: 1_000 }),
      checkpointers: (tenant) => new MemoryCheckpointer({ data: checkpoints, tenant, ttlSeconds: 3_600 }),
      clock: systemClock,
      logger: silentLogger,
      // No heartbeat fires during an echo run: the figures are those of a short task.
      settings: {
        leaseMs: 60_000,
        heartbeatMs: 60_000,
        retentionSeconds: 86_400,
        visibilityTimeoutSeconds: 180,
      },
      workerId: 'bench-worker',
    };
    let id = 0;
    return {
      app,
      meter: main.meter,
      pushMeter: push.meter,
      get triggers() {
        return triggers;
      },
      async rpc(method, params) {
        const res = await app.inject({
          method: 'POST',
          url: '/agents/echo',
          headers: { 'content-type': 'application/json', 'a2a-version': '1.0' },
          payload: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
        });
        const body = res.json() as { result?: Record<string, unknown>; error?: unknown };
        if (!body.result) throw new Error(`${method} failed: ${JSON.stringify(body.error ?? body)}`);
        return body.result;
      },
      async work() {
        for (let work = queue.held.shift(); work; work = queue.held.shift()) await runTask(worker, work);
      },
      async stop() {
        await app.close();
        main.raw.destroy();
        push.raw.destroy();
        await dynamo.stop();
      },
    };
  } catch (err) {
    await dynamo.stop();
    throw err;
  }
}
