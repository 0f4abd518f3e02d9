/**
 * The gateway the fuzzer hits: the real app on 127.0.0.1 (JWT verified, streaming served with
 * short limits), the memory store behind a handle that can swap in an empty one (so heap growth
 * can be told from stored tasks), a queue that only counts, no workers.
 */
import type { AddressInfo } from 'node:net';
import { MemoryTaskStore } from '../../adapters/memory/memory-task-store';
import {
  busTaskWatcher,
  TaskChangeBus,
  withChangeNotifications,
} from '../../adapters/memory/task-change-bus';
import { ALL_SCOPES, createEphemeralDevIssuer, devIssuerVerifier } from '../../authorizer/dev-issuer';
import type { TaskStore } from '../../core/ports/task-store';
import { buildApp } from '../../gateway/app';
import { verifyingResolver } from '../../gateway/auth/principal-resolver';
import { rigGatewayDeps } from '../../local/rig-gateway-deps';
import { CountingQueue } from '../bench/gateway-server';

export interface FuzzGateway {
  url: string;
  origin: string;
  token: string;
  /** drops every stored task (a fresh memory store) */
  resetStore(): void;
  close(): Promise<void>;
}

/** A store whose target can be replaced. */
function swappableStore(): { store: TaskStore; swap(): void } {
  let current: TaskStore = new MemoryTaskStore();
  const store = new Proxy({} as TaskStore, {
    get(_t, prop) {
      const value = Reflect.get(current, prop);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
  const swap = () => {
    current = new MemoryTaskStore();
  };
  return { store, swap };
}

export async function startFuzzGateway(): Promise<FuzzGateway> {
  const issuer = await createEphemeralDevIssuer();
  const bus = new TaskChangeBus();
  const swappable = swappableStore();
  const store = withChangeNotifications(swappable.store, bus);
  const app = await buildApp(
    rigGatewayDeps({
      store,
      queue: new CountingQueue(),
      watcher: busTaskWatcher(bus, store, 50),
      principals: verifyingResolver(devIssuerVerifier(issuer)),
      settings: { blockingTimeoutMs: 20, cancelWaitMs: 20 },
      streaming: {
        heartbeatMs: 1_000,
        maxStreamsPerProcess: 1_000,
        maxStreamsPerTenant: 100,
        maxDurationMs: 2_000,
        directReplyWaitMs: 0,
      },
    }),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/agents/echo`,
    origin,
    token: await issuer.mint({ tenant: 'fuzz', scopes: [...ALL_SCOPES] }),
    resetStore: swappable.swap,
    close: () => app.close(),
  };
}
