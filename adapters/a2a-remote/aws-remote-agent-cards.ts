/**
 * The gateway's remote agent cards in AWS: https only (plus REMOTE_AGENTS_ALLOW_HTTP_HOSTS),
 * loaded at cold start, before the app is built:
 *   const loaded = await awsRemoteAgentCards(config.remote, logger).load(builtInIds);
 * No A2A client and no secrets here (cards are fetched without credentials).
 */
import type { Logger } from '../../core/ports/logger';
import { type RemoteAgentCards, remoteAgentCards } from './remote-agent-cards';
import type { RemoteAgentsEnv } from './remote-agents-env';

export function awsRemoteAgentCards(env: RemoteAgentsEnv, logger: Logger): RemoteAgentCards {
  return remoteAgentCards({
    configs: env.agents,
    policy: { allowHttpHosts: env.allowHttpHosts },
    logger: logger.child({ service: 'remote-agents' }),
  });
}
