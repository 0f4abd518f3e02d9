/**
 * The gateway the SSE benchmarks stream from: memory store, SSE served, limits raised, and a
 * watcher that is either the in-process change bus (local mode) or store polling (Lambda mode).
 * Tasks are created straight in the store, and events appended the way a worker appends them.
 */
import type { AddressInfo } from 'node:net';
import { MemoryTaskStore } from '../../adapters/memory/memory-task-store';
import {
  busTaskWatcher,
  TaskChangeBus,
  withChangeNotifications,
} from '../../adapters/memory/task-change-bus';
import { pollingTaskWatcher } from '../../adapters/polling/polling-task-watcher';
import { createEphemeralDevIssuer, devIssuerVerifier } from '../../authorizer/dev-issuer';
import { TaskState } from '../../core/a2a/task-state';
import { systemContext } from '../../core/context';
import { randomIds } from '../../core/ports/clock';
import { applyEvents, type TaskEvent, type TaskRecord } from '../../core/task-record';
import { buildApp } from '../../gateway/app';
import { verifyingResolver } from '../../gateway/auth/principal-resolver';
import { DEFAULT_STREAMING_SETTINGS } from '../../gateway/streaming/streaming-settings';
import { rigGatewayDeps } from '../../local/rig-gateway-deps';
import { CountingQueue } from './gateway-server';

const TENANT = 'bench';

export interface SseBenchGateway {
  /** the JSON-RPC endpoint */
  url: string;
  token: string;
  bus: TaskChangeBus;
  createTask(): Promise<TaskRecord>;
  /** appends events to a task (as a worker would) and returns the new record */
  append(task: TaskRecord, events: TaskEvent[]): Promise<TaskRecord>;
  close(): Promise<void>;
}

export async function startSseBenchGateway(o: {
  watcher: 'bus' | 'polling';
  maxStreams: number;
}): Promise<SseBenchGateway> {
  const issuer = await createEphemeralDevIssuer();
  const bus = new TaskChangeBus();
  const store = withChangeNotifications(new MemoryTaskStore(), bus);
  const verifier = devIssuerVerifier(issuer);
  const app = await buildApp({
    ...rigGatewayDeps({
      store,
      queue: new CountingQueue(),
      watcher: o.watcher === 'bus' ? busTaskWatcher(bus, store) : pollingTaskWatcher(store),
      principals: verifyingResolver(verifier),
      settings: { blockingTimeoutMs: 1_000 },
      streaming: {
        ...DEFAULT_STREAMING_SETTINGS,
        maxStreamsPerProcess: o.maxStreams,
        maxStreamsPerTenant: o.maxStreams,
      },
    }),
    // One tenant opens every stream, up to 100 at once: the per-tenant bound on requests in flight
    // (64, for tenants that share a gateway) would refuse some with 429 while the machine is busy.
    overload: { maxInFlightPerTenant: 0 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const ctx = systemContext(TENANT, 'bench');
  let n = 0;
  return {
    url: `http://127.0.0.1:${port}/agents/echo`,
    token: await issuer.mint({ tenant: TENANT, scopes: ['tasks:read'], ttlSeconds: 3_600 }),
    bus,
    async createTask() {
      const now = new Date().toISOString();
      const message = {
        messageId: `bench-${n++}-${Date.now()}`,
        role: 'ROLE_USER' as const,
        parts: [{ text: 'x' }],
      };
      const status = { state: TaskState.Working, timestamp: now };
      const task: TaskRecord = {
        tenant: TENANT,
        id: randomIds.taskId(),
        contextId: randomIds.contextId(),
        agentId: 'echo',
        owner: 'bench',
        status,
        artifacts: [],
        history: [message],
        version: 1,
        createdAt: now,
        protocol: '1.0',
      };
      const events = [{ seq: 1, at: now, event: { kind: 'status' as const, status, history: [message] } }];
      return (await store.create(ctx, { task, events, idempotencyKey: message.messageId })).task;
    },
    async append(task, events) {
      const { next, stored } = applyEvents(task, events, new Date().toISOString());
      return store.commit(ctx, { taskId: task.id, expectedVersion: task.version, next, events: stored });
    },
    close: () => app.close(),
  };
}

/** The SubscribeToTask request body. */
export const subscribeBody = (taskId: string): string =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SubscribeToTask', params: { id: taskId } });
