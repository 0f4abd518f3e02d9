/**
 * A gateway on app.inject() with the memory store, a real dev issuer (jose-signed tokens) and a
 * recording queue, plus the agent worker wired to run queued work on demand.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { MemoryCheckpointData, MemoryCheckpointer } from '../../adapters/memory/memory-checkpointer';
import { MemoryTaskStore } from '../../adapters/memory/memory-task-store';
import {
  busTaskWatcher,
  TaskChangeBus,
  withChangeNotifications,
} from '../../adapters/memory/task-change-bus';
import {
  createEphemeralDevIssuer,
  type DevIssuer,
  devIssuerVerifier,
  type MintOptions,
} from '../../authorizer/dev-issuer';
import { createAgentCatalog } from '../../core/agent-catalog';
import { systemClock } from '../../core/ports/clock';
import { silentLogger } from '../../core/ports/logger';
import type { TaskStore } from '../../core/ports/task-store';
import type { WorkQueue } from '../../core/ports/work-queue';
import type { UseCaseSettings } from '../../core/use-cases/deps';
import { parseWorkMessage, type WorkMessage } from '../../core/work-message';
import { buildApp } from '../../gateway/app';
import { verifyingResolver } from '../../gateway/auth/principal-resolver';
import type { GatewayDeps } from '../../gateway/gateway-deps';
import {
  DEFAULT_STREAMING_SETTINGS,
  type StreamingSettings,
} from '../../gateway/streaming/streaming-settings';
import { rigGatewayDeps } from '../../local/rig-gateway-deps';
import { type RunOutcome, runTask } from '../../workers/agent-worker/run-task';
import type { WorkerDeps } from '../../workers/agent-worker/worker-deps';
import { createAgentRegistry } from '../../workers/agents/registry';
import type { CheckpointerFactory } from '../../workers/graph-runtime/graph-agent';

/** Records what the gateway enqueues; `drain()` runs it through the real worker code. */
export class RecordingQueue implements WorkQueue {
  readonly sent: { body: string; attributes: Record<string, string> }[] = [];
  async send(body: string, options?: { attributes?: Record<string, string> }): Promise<void> {
    this.sent.push({ body, attributes: options?.attributes ?? {} });
  }
  async receive(): Promise<never[]> {
    return [];
  }
  async delete(): Promise<void> {}
  async changeVisibility(): Promise<void> {}
  take(): WorkMessage[] {
    return this.sent.splice(0).map((m) => parseWorkMessage(m.body));
  }
}

export interface Harness {
  app: FastifyInstance;
  /** what the app was built from (to build other entry points on the same store and bus) */
  deps: GatewayDeps;
  bus: TaskChangeBus;
  issuer: DevIssuer;
  store: TaskStore;
  queue: RecordingQueue;
  worker: WorkerDeps;
  token(o?: Partial<MintOptions>): Promise<string>;
  rpc(method: string, params: unknown, o?: RpcOptions): Promise<LightMyRequestResponse>;
  /** runs every queued work message through the worker */
  drain(): Promise<RunOutcome[]>;
  close(): Promise<void>;
}

export interface RpcOptions {
  token?: string;
  agent?: string;
  version?: string | null;
  headers?: Record<string, string>;
  id?: string | number | null;
}

export interface HarnessOptions {
  store?: TaskStore;
  /** LangGraph checkpoints for the worker (memory by default) */
  checkpointers?: CheckpointerFactory;
  /** serve (and advertise) SSE streaming with these settings; off by default */
  streaming?: Partial<StreamingSettings>;
  /** the app's load bounds (in-flight slots, request timeouts); the defaults when absent */
  bounds?: Pick<GatewayDeps, 'overload' | 'requestTimeouts'>;
}

export async function gatewayHarness(
  settings: Partial<UseCaseSettings> = {},
  o: HarnessOptions = {},
): Promise<Harness> {
  const issuer = await createEphemeralDevIssuer();
  const bus = new TaskChangeBus();
  const store = withChangeNotifications(o.store ?? new MemoryTaskStore(), bus);
  const queue = new RecordingQueue();
  const agents = createAgentCatalog();
  const verifier = devIssuerVerifier(issuer);
  const deps: GatewayDeps = rigGatewayDeps({
    store,
    queue,
    watcher: busTaskWatcher(bus, store, 50),
    agents,
    principals: verifyingResolver(verifier),
    settings,
    cards: { publicBaseUrl: 'http://gateway.test', extendedAgentCard: true },
    bodyLimitBytes: 256 * 1024,
    ...(o.streaming ? { streaming: { ...DEFAULT_STREAMING_SETTINGS, ...o.streaming } } : {}),
  });
  const app = await buildApp({ ...deps, ...o.bounds });
  const worker: WorkerDeps = {
    store,
    agents: createAgentRegistry({ resubscribeWaitMs: 200 }),
    checkpointers: o.checkpointers ?? memoryCheckpointers(),
    clock: systemClock,
    logger: silentLogger,
    settings: { leaseMs: 30_000, heartbeatMs: 50, retentionSeconds: 3600, visibilityTimeoutSeconds: 60 },
    workerId: 'test-worker',
  };
  const token = (m: Partial<MintOptions> = {}) =>
    issuer.mint({
      tenant: 'acme',
      scopes: ['tasks:submit', 'tasks:read', 'tasks:cancel', 'webhooks:manage'],
      ...m,
    });
  let defaultToken: string | undefined;
  let nextId = 1;
  return {
    app,
    deps,
    bus,
    issuer,
    store,
    queue,
    worker,
    token,
    async rpc(method, params, r = {}) {
      defaultToken ??= await token();
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        authorization: `Bearer ${r.token ?? defaultToken}`,
        ...r.headers,
      };
      if (r.version !== null) headers['a2a-version'] = r.version ?? '1.0';
      return app.inject({
        method: 'POST',
        url: r.agent === undefined ? '/agents/conformance' : `/agents/${r.agent}`,
        headers,
        payload: JSON.stringify({ jsonrpc: '2.0', id: r.id === undefined ? nextId++ : r.id, method, params }),
      });
    },
    async drain() {
      const outcomes: RunOutcome[] = [];
      for (let batch = queue.take(); batch.length > 0; batch = queue.take()) {
        for (const work of batch) outcomes.push(await runTask(worker, work));
      }
      return outcomes;
    },
    close: () => app.close(),
  };
}

export const userMessage = (text: string, extra: Record<string, unknown> = {}) => ({
  messageId: `m-${Math.random().toString(36).slice(2)}`,
  role: 'ROLE_USER',
  parts: [{ text }],
  ...extra,
});

export function memoryCheckpointers(): CheckpointerFactory {
  const data = new MemoryCheckpointData();
  return (tenant) => new MemoryCheckpointer({ data, tenant, ttlSeconds: 3600 });
}
