/**
 * Fetching remote agent cards (through the guarded fetch, so the SSRF guard, size cap and timeout
 * apply) and turning them into catalog entries at startup.
 *
 * loadRemoteAgents runs before the gateway app is built (cards are built once per process). Each
 * card fetch is bounded by a timeout and they run in parallel. Per agent:
 * - card fetched and usable: its sanitized skills are served under `/agents/{id}`;
 * - the agent is unreachable (down, timeout, 5xx): if the config names it (`name`), a card is
 *   served from the config and the worker resolves the real card when a task arrives; otherwise
 *   it is skipped. Either way a log line says so;
 * - refused (the URL or every interface URL fails the SSRF guard, the card is hostile beyond
 *   repair, too large, not JSON): skipped with an error log line, never served from config;
 * - anything unexpected: skipped with an error log line (one agent never stops the gateway).
 */
import secureJson from 'secure-json-parse';
import type { AgentDescriptor } from '../../core/agent-catalog';
import { InvalidAgentResponseError } from '../../core/errors';
import type { Logger } from '../../core/ports/logger';
import { RemoteAgentRefusedError, RemoteAgentUnavailableError } from '../../core/ports/remote-agent-client';
import type { RemoteAgentConfig } from '../../core/remote-agents';
import {
  DEFAULT_REMOTE_CARD_LIMITS,
  fallbackRemoteDescriptor,
  type RemoteCardLimits,
  RemoteCardRejectedError,
  type RemoteEndpoint,
  type SanitizedRemoteCard,
  sanitizeRemoteCard,
} from '../../core/remote-card';
import {
  checkOutboundUrl,
  type Resolver,
  type SsrfPolicy,
  systemResolver,
  WebhookUrlRefusedError,
} from '../net/outbound-url';

export interface RemoteCardSource {
  load(config: RemoteAgentConfig, signal?: AbortSignal): Promise<SanitizedRemoteCard>;
}

export interface RemoteCardSourceOptions {
  /** a guarded fetch whose body cap is the card size bound */
  fetch: typeof fetch;
  policy: SsrfPolicy;
  resolver?: Resolver;
  limits?: RemoteCardLimits;
}

export function remoteCardSource(o: RemoteCardSourceOptions): RemoteCardSource {
  return {
    async load(config, signal) {
      const res = await o.fetch(config.cardUrl, {
        headers: { accept: 'application/json', 'a2a-version': '1.0' },
        ...(signal ? { signal } : {}),
      });
      if (!res.ok) {
        await res.body?.cancel();
        throw new RemoteAgentRefusedError(`its card URL answered HTTP ${res.status}`);
      }
      let raw: unknown;
      try {
        raw = secureJson.parse(await res.text(), undefined, {
          protoAction: 'remove',
          constructorAction: 'remove',
        });
      } catch (err) {
        if (err instanceof SyntaxError) throw new InvalidAgentResponseError('its card is not JSON');
        throw err;
      }
      let card: SanitizedRemoteCard;
      try {
        card = sanitizeRemoteCard(raw, config, o.limits ?? DEFAULT_REMOTE_CARD_LIMITS);
      } catch (err) {
        if (err instanceof RemoteCardRejectedError)
          throw new RemoteAgentRefusedError(`its card was rejected: ${err.message}`);
        throw err;
      }
      const interfaces = [];
      const refused: string[] = [];
      for (const iface of card.endpoint.interfaces) {
        const reason = await refusal(iface.url, o);
        if (reason === undefined) interfaces.push(iface);
        else refused.push(reason);
      }
      if (interfaces.length === 0) {
        throw new RemoteAgentRefusedError(`its card points only at refused URLs (${refused.join('; ')})`);
      }
      return { descriptor: card.descriptor, endpoint: { ...card.endpoint, interfaces } };
    },
  };
}

/** Why the SSRF guard refuses the URL, if it does (an unresolvable host is vetted again per call). */
async function refusal(url: string, o: RemoteCardSourceOptions): Promise<string | undefined> {
  try {
    await checkOutboundUrl(url, o.policy, o.resolver ?? systemResolver);
    return undefined;
  } catch (err) {
    return err instanceof WebhookUrlRefusedError ? err.reason : undefined;
  }
}

export interface LoadedRemoteAgent {
  config: RemoteAgentConfig;
  descriptor: AgentDescriptor;
  /** absent when the card could not be fetched (the descriptor then comes from the config) */
  endpoint?: RemoteEndpoint;
}

export interface LoadRemoteAgentsOptions {
  cards: RemoteCardSource;
  /** each card fetch ends after this */
  timeoutMs: number;
  logger: Logger;
  /** ids already taken (the local agents) */
  reservedIds: readonly string[];
}

export async function loadRemoteAgents(
  configs: readonly RemoteAgentConfig[],
  o: LoadRemoteAgentsOptions,
): Promise<LoadedRemoteAgent[]> {
  const results = await Promise.all(configs.map((config) => loadOne(config, o)));
  return results.filter((r): r is LoadedRemoteAgent => r !== undefined);
}

async function loadOne(
  config: RemoteAgentConfig,
  o: LoadRemoteAgentsOptions,
): Promise<LoadedRemoteAgent | undefined> {
  const log = o.logger.child({ agentId: config.id });
  if (o.reservedIds.includes(config.id)) {
    log.error({}, 'remote agent skipped: its id is taken by a local agent');
    return undefined;
  }
  try {
    const card = await o.cards.load(config, AbortSignal.timeout(o.timeoutMs));
    log.info(
      { skills: card.descriptor.skills.length, streaming: card.endpoint.streaming },
      'remote agent card loaded',
    );
    return { config, ...card };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (err instanceof RemoteAgentRefusedError || err instanceof InvalidAgentResponseError) {
      log.error({ reason }, 'remote agent skipped: its card was refused');
      return undefined;
    }
    if (
      !(err instanceof RemoteAgentUnavailableError) &&
      !(err instanceof Error && err.name === 'TimeoutError')
    ) {
      // A bug here must not keep the gateway (and every other agent) from starting.
      log.error({ err }, 'remote agent skipped: loading its card failed unexpectedly');
      return undefined;
    }
    const descriptor = fallbackRemoteDescriptor(config);
    if (!descriptor) {
      log.warn({ reason }, 'remote agent skipped: its card is unreachable and the config gives no name');
      return undefined;
    }
    log.warn({ reason }, 'remote agent card unreachable; serving a card from the config');
    return { config, descriptor };
  }
}
