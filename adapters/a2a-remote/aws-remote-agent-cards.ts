/**
 * The gateway's remote agent cards in AWS: https only (plus REMOTE_AGENTS_ALLOW_HTTP_HOSTS),
 * loaded at cold start, before the app is built:
 *   const remoteAgents = await awsRemoteAgentDescriptors(config.remote, logger);
 * No A2A client and no secrets here (cards are fetched without credentials).
 */
import { type AgentDescriptor, BUILT_IN_AGENTS } from '../../core/agent-catalog';
import type { Logger } from '../../core/ports/logger';
import { remoteAgentCards } from './remote-agent-cards';
import type { RemoteAgentsEnv } from './remote-agents-env';

/** The served cards of the remote agents that loaded (the others are logged and skipped). */
export async function awsRemoteAgentDescriptors(
  env: RemoteAgentsEnv,
  logger: Logger,
): Promise<AgentDescriptor[]> {
  const cards = remoteAgentCards({
    configs: env.agents,
    policy: { allowHttpHosts: env.allowHttpHosts },
    logger: logger.child({ service: 'remote-agents' }),
  });
  const loaded = await cards.load(BUILT_IN_AGENTS.map((a) => a.id));
  return loaded.map((l) => l.descriptor);
}
