/**
 * GatewayDeps for the in-process rigs (the test harnesses, the bench and resilience servers): the
 * memory-side wiring with permissive defaults (any webhook URL, silent logs, the built-in agents,
 * the real clock and ids), so each rig states only what it measures or varies.
 */
import pino, { type Logger as PinoLogger } from 'pino';
import { type AgentCatalog, createAgentCatalog } from '../core/agent-catalog';
import { randomIds, systemClock } from '../core/ports/clock';
import { silentLogger } from '../core/ports/logger';
import type { PushTrigger } from '../core/ports/push-trigger';
import type { TaskWatcher } from '../core/ports/task-watcher';
import type { QueueSender } from '../core/ports/work-queue';
import type { UseCaseSettings, UseCaseStore } from '../core/use-cases/deps';
import type { GatewayDeps } from '../gateway/gateway-deps';

export interface RigGatewayOptions {
  store: UseCaseStore;
  queue: QueueSender;
  watcher: TaskWatcher;
  principals: GatewayDeps['principals'];
  push?: PushTrigger;
  agents?: AgentCatalog;
  /** for the app and the use cases (silent when absent) */
  logger?: PinoLogger;
  settings?: Partial<UseCaseSettings>;
  cards?: Partial<GatewayDeps['cards']>;
  /** SSE served when set */
  streaming?: GatewayDeps['streaming'];
  bodyLimitBytes?: number;
}

export function rigGatewayDeps(o: RigGatewayOptions): GatewayDeps {
  return {
    useCases: {
      store: o.store,
      queue: o.queue,
      watcher: o.watcher,
      clock: systemClock,
      ids: randomIds,
      agents: o.agents ?? createAgentCatalog(),
      webhookUrls: { assertAllowed: async () => undefined },
      logger: o.logger ?? silentLogger,
      ...(o.push ? { push: o.push } : {}),
      settings: {
        blockingTimeoutMs: 2_000,
        cancelWaitMs: 1_000,
        retentionSeconds: 3_600,
        pushNotifications: true,
        ...o.settings,
      },
    },
    principals: o.principals,
    cards: {
      publicBaseUrl: 'http://127.0.0.1',
      streaming: o.streaming !== undefined,
      pushNotifications: true,
      extendedAgentCard: false,
      ...o.cards,
    },
    logger: o.logger ?? pino({ level: 'silent' }),
    bodyLimitBytes: o.bodyLimitBytes ?? 1_048_576,
    ...(o.streaming ? { streaming: o.streaming } : {}),
  };
}
