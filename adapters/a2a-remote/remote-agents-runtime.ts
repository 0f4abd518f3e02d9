/**
 * The remote agents of one process, wired once: the gateway's cards (remote-agent-cards.ts) plus
 * a guarded fetch for calls and the worker's directory of clients. The directory resolves each
 * agent's card when a task first needs it (or takes the one loaded at startup) and caches it for
 * `cardTtlMs`; while a card cannot be refreshed, the last good one is used. Each agent has one credentials provider, so an OAuth
 * token is shared by its tasks until it expires.
 */
import type { Clock } from '../../core/ports/clock';
import {
  type RemoteAgentClient,
  type RemoteAgentDirectory,
  RemoteAgentRefusedError,
  RemoteAgentUnavailableError,
} from '../../core/ports/remote-agent-client';
import type { RemoteAgentConfig } from '../../core/remote-agents';
import type { RemoteEndpoint } from '../../core/remote-card';
import { createA2ARemoteClient } from './a2a-remote-client';
import { createGuardedFetch } from './guarded-fetch';
import {
  DEFAULT_REMOTE_RUNTIME_SETTINGS,
  type RemoteAgentCards,
  type RemoteCardsWiring,
  remoteAgentCards,
} from './remote-agent-cards';
import { type RemoteAuth, remoteAuth, withRemoteAuth } from './remote-auth';
import type { LoadedRemoteAgent } from './remote-card-loader';
import type { SecretSource } from './secret-source';

export type { RemoteRuntimeSettings } from './remote-agent-cards';

export interface RemoteAgentsWiring extends RemoteCardsWiring {
  secrets: SecretSource;
  clock: Clock;
}

export interface RemoteAgentsRuntime extends RemoteAgentCards {
  /** the worker's clients; `loaded` seeds the card cache (one process running both) */
  directory(loaded?: readonly LoadedRemoteAgent[]): RemoteAgentDirectory;
}

export function remoteAgentsRuntime(w: RemoteAgentsWiring): RemoteAgentsRuntime {
  const s = { ...DEFAULT_REMOTE_RUNTIME_SETTINGS, ...w.settings };
  const { cards, load } = remoteAgentCards(w);
  const callFetch = createGuardedFetch({
    policy: w.policy,
    ...(w.resolver ? { resolver: w.resolver } : {}),
    timeoutMs: s.requestTimeoutMs,
    maxBodyBytes: s.maxBodyBytes,
    streamIdleMs: s.streamIdleMs,
    maxStreamBytes: s.maxStreamBytes,
  });
  return {
    cards,
    load,
    directory: (loaded = []) => {
      const agents = new Map(
        w.configs.map((config) => {
          const seed = loaded.find((l) => l.config.id === config.id)?.endpoint;
          const auth = remoteAuth(config.auth, { secrets: w.secrets, fetch: callFetch, clock: w.clock });
          const state: AgentState = { config, auth };
          if (seed) state.card = { endpoint: seed, until: w.clock.now() + s.cardTtlMs };
          return [config.id, state];
        }),
      );
      return {
        has: (agentId) => agents.has(agentId),
        async client(agentId, signal) {
          const state = agents.get(agentId);
          if (!state) throw new RemoteAgentRefusedError('is not configured in this worker');
          const endpoint = await endpointOf(state, signal);
          if (state.client?.endpoint !== endpoint) {
            const client = await createA2ARemoteClient(endpoint, withRemoteAuth(callFetch, state.auth));
            state.client = { endpoint, client };
          }
          return state.client.client;
        },
      };
    },
  };

  async function endpointOf(state: AgentState, signal: AbortSignal): Promise<RemoteEndpoint> {
    const now = w.clock.now();
    if (state.card && state.card.until > now) return state.card.endpoint;
    try {
      const card = await cards.load(
        state.config,
        AbortSignal.any([signal, AbortSignal.timeout(s.cardTimeoutMs)]),
      );
      state.card = { endpoint: card.endpoint, until: now + s.cardTtlMs };
      return card.endpoint;
    } catch (err) {
      const unavailable =
        err instanceof RemoteAgentUnavailableError || (err instanceof Error && err.name === 'TimeoutError');
      if (unavailable && state.card && !signal.aborted) {
        w.logger.warn({ agentId: state.config.id }, 'remote agent card unreachable; using the last one');
        return state.card.endpoint;
      }
      if (unavailable && !signal.aborted) throw new RemoteAgentUnavailableError('did not serve its card');
      throw err;
    }
  }
}

interface AgentState {
  config: RemoteAgentConfig;
  auth: RemoteAuth;
  card?: { endpoint: RemoteEndpoint; until: number };
  client?: { endpoint: RemoteEndpoint; client: RemoteAgentClient };
}
