/**
 * The remote agents of one process, wired once: the gateway's cards (remote-agent-cards.ts) plus
 * a guarded fetch for calls and the worker's directory of clients. The directory resolves each
 * agent's card when a task first needs it (or takes the one loaded at startup) and caches it for
 * `cardTtlMs`; while a card cannot be refreshed, the last good one is used. Each agent has one
 * credentials provider, so an OAuth token is shared by its tasks until it expires; its calls carry
 * the credentials only to its configured origins. The startup load also reads every configured
 * secret once and warns about one that cannot be read.
 */
import type { Clock } from '../../core/ports/clock';
import {
  type RemoteAgentClient,
  type RemoteAgentDirectory,
  RemoteAgentRefusedError,
  RemoteAgentUnavailableError,
} from '../../core/ports/remote-agent-client';
import { credentialOrigins, type RemoteAgentConfig } from '../../core/remote-agents';
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
  /** Reads every configured secret once: one that cannot be read is an operator's warning now. */
  async function checkSecrets(): Promise<void> {
    await Promise.all(
      w.configs.map(async (config) => {
        const auth = config.auth;
        if (auth === undefined || auth.type === 'none') return;
        try {
          await w.secrets.get(auth.secretId);
        } catch (err) {
          w.logger.warn(
            { agentId: config.id, secretId: auth.secretId, reason: err instanceof Error ? err.message : '' },
            'remote agent credentials cannot be read; its tasks will fail until an operator fixes them',
          );
        }
      }),
    );
  }
  return {
    cards,
    // the startup load: cards, and the secrets checked (and cached) meanwhile
    load: async (reservedIds) => (await Promise.all([load(reservedIds), checkSecrets()]))[0],
    directory: (loaded = []) => {
      const agents = new Map(
        w.configs.map((config) => {
          const seed = loaded.find((l) => l.config.id === config.id)?.endpoint;
          const auth = remoteAuth(config.auth, { secrets: w.secrets, fetch: callFetch, clock: w.clock });
          const sendsCredentials = config.auth !== undefined && config.auth.type !== 'none';
          const state: AgentState = { config, auth, sendsCredentials };
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
            const fetchImpl = state.sendsCredentials
              ? withRemoteAuth(callFetch, state.auth, credentialOrigins(state.config))
              : callFetch;
            const client = await createA2ARemoteClient(endpoint, fetchImpl);
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
  /** bearer or oauth2: its calls go only to its credential origins */
  sendsCredentials: boolean;
  card?: { endpoint: RemoteEndpoint; until: number };
  client?: { endpoint: RemoteEndpoint; client: RemoteAgentClient };
}
