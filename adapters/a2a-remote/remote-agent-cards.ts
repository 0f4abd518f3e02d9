/**
 * The gateway's side of remote agents: a guarded fetch capped at the card size bound, the card
 * source, and the startup load that puts their cards in the catalog (remote-card-loader.ts). No
 * A2A client here, so the gateway bundle stays free of the SDK.
 */
import type { Logger } from '../../core/ports/logger';
import type { RemoteAgentConfig } from '../../core/remote-agents';
import type { RemoteCardLimits } from '../../core/remote-card';
import type { Resolver, SsrfPolicy } from '../net/outbound-url';
import { createGuardedFetch } from './guarded-fetch';
import {
  type LoadedRemoteAgent,
  loadRemoteAgents,
  type RemoteCardSource,
  remoteCardSource,
} from './remote-card-loader';

export interface RemoteRuntimeSettings {
  /** wait for a remote's response headers (and as long again for a plain body) */
  requestTimeoutMs: number;
  /** a remote event stream silent this long is dropped (the worker then polls) */
  streamIdleMs: number;
  maxBodyBytes: number;
  maxStreamBytes: number;
  /** the card size bound */
  maxCardBytes: number;
  cardTimeoutMs: number;
  cardTtlMs: number;
  limits?: RemoteCardLimits;
}

export const DEFAULT_REMOTE_RUNTIME_SETTINGS: Readonly<RemoteRuntimeSettings> = Object.freeze({
  requestTimeoutMs: 30_000,
  streamIdleMs: 60_000,
  maxBodyBytes: 4 * 1024 * 1024,
  maxStreamBytes: 16 * 1024 * 1024,
  maxCardBytes: 64 * 1024,
  cardTimeoutMs: 5_000,
  cardTtlMs: 5 * 60_000,
});

export interface RemoteCardsWiring {
  configs: readonly RemoteAgentConfig[];
  policy: SsrfPolicy;
  resolver?: Resolver;
  logger: Logger;
  settings?: Partial<RemoteRuntimeSettings>;
}

export interface RemoteAgentCards {
  cards: RemoteCardSource;
  /** the startup load (see remote-card-loader.ts); `reservedIds` are the local agents' */
  load(reservedIds: readonly string[]): Promise<LoadedRemoteAgent[]>;
}

export function remoteAgentCards(w: RemoteCardsWiring): RemoteAgentCards {
  const s = { ...DEFAULT_REMOTE_RUNTIME_SETTINGS, ...w.settings };
  const guard = { policy: w.policy, ...(w.resolver ? { resolver: w.resolver } : {}) };
  const cardFetch = createGuardedFetch({
    ...guard,
    timeoutMs: s.cardTimeoutMs,
    maxBodyBytes: s.maxCardBytes,
    streamIdleMs: s.cardTimeoutMs,
    maxStreamBytes: s.maxCardBytes,
  });
  const cards = remoteCardSource({ fetch: cardFetch, ...guard, ...(s.limits ? { limits: s.limits } : {}) });
  return {
    cards,
    load: (reservedIds) =>
      loadRemoteAgents(w.configs, { cards, timeoutMs: s.cardTimeoutMs, logger: w.logger, reservedIds }),
  };
}
