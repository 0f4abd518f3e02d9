/**
 * Remote agents in AWS: the SSRF guard with https only (plus REMOTE_AGENTS_ALLOW_HTTP_HOSTS), the
 * env's request timeout, and (worker only) secrets from Secrets Manager, cached five minutes. The
 * gateway loads the cards at cold start with awsRemoteAgentCards (aws-remote-agent-cards.ts: no A2A
 * client, no secrets in its bundle); the worker uses awsRemoteAgents: the same load (its router
 * routes by those skills) and `directory` for the calls.
 */

import { systemClock } from '../../core/ports/clock';
import type { Logger } from '../../core/ports/logger';
import type { AwsConfig } from '../aws/aws-config';
import type { RemoteCallsEnv } from './remote-agents-env';
import { type RemoteAgentsRuntime, remoteAgentsRuntime } from './remote-agents-runtime';
import { cachedSecretSource } from './secret-source';
import { secretsManagerSource } from './secrets-manager-source';

const SECRET_CACHE_MS = 5 * 60_000;

export function awsRemoteAgents(aws: AwsConfig, env: RemoteCallsEnv, logger: Logger): RemoteAgentsRuntime {
  return remoteAgentsRuntime({
    configs: env.agents,
    policy: { allowHttpHosts: env.allowHttpHosts },
    secrets: cachedSecretSource(secretsManagerSource(aws), SECRET_CACHE_MS),
    clock: systemClock,
    logger: logger.child({ service: 'remote-agents' }),
    settings: { requestTimeoutMs: env.requestTimeoutMs },
  });
}
