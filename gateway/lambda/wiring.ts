/**
 * Builds the gateway's dependencies for AWS (Lambda): DynamoDB store, SQS queue, a polling
 * watcher, the principal from the authorizer context (optionally re-verified), and the agents
 * served: the built-in ones, the router, and the remote agents whose cards the entry loaded
 * (gateway/lambda/lambda.ts, before this runs). Runs once per cold start.
 */

import type { Logger } from 'pino';
import { sqsClient } from '../../adapters/aws/aws-clients';
import { awsTaskStore } from '../../adapters/aws/aws-task-store';
import { emfMetrics } from '../../adapters/metrics/emf-metrics';
import { pollingTaskWatcher } from '../../adapters/polling/polling-task-watcher';
import { signingKeysFromSecret } from '../../adapters/push/secret-signing-keys';
import { createWebhookUrlPolicy } from '../../adapters/push/webhook-url-policy';
import { SqsQueueSender } from '../../adapters/sqs/sqs-queue-sender';
import { createTokenVerifier, type TokenVerifier } from '../../authorizer/token-verifier';
import { type AgentDescriptor, createAgentCatalog, servedAgents } from '../../core/agent-catalog';
import { randomIds, systemClock } from '../../core/ports/clock';
import {
  authorizerContextResolver,
  type PrincipalResolver,
  verifyingResolver,
} from '../auth/principal-resolver';
import type { GatewayConfig } from '../config';
import type { GatewayDeps } from '../gateway-deps';

export function awsGatewayDeps(
  config: Readonly<GatewayConfig>,
  logger: Logger,
  remoteAgents: readonly AgentDescriptor[] = [],
): GatewayDeps {
  const metrics = emfMetrics({ service: 'gateway' });
  const { store, push } = awsTaskStore(config.aws, config.push.pushQueueUrl, metrics, logger);
  const queue = new SqsQueueSender(sqsClient(config.aws), config.workQueueUrl, {
    messageGroups: config.aws.sqsMessageGroups,
  });
  const principals = principalResolver(config);
  // Streaming is served by the function-URL Lambda (stream-lambda.ts); with STREAMING_URL set the
  // cards advertise that URL (it serves every method) and streaming: true.
  const cards: GatewayDeps['cards'] = {
    publicBaseUrl: config.publicBaseUrl,
    streaming: config.streaming.url !== undefined,
    pushNotifications: true,
    extendedAgentCard: true,
  };
  if (config.streaming.url) cards.interfaceUrl = config.streaming.url;
  if (config.auth.oauthTokenUrl) cards.oauthTokenUrl = config.auth.oauthTokenUrl;
  return {
    useCases: {
      store,
      queue,
      watcher: pollingTaskWatcher(store),
      clock: systemClock,
      ids: randomIds,
      agents: createAgentCatalog(servedAgents(remoteAgents), config.defaultAgentId),
      webhookUrls: createWebhookUrlPolicy({ allowHttpHosts: config.push.allowHttpHosts }),
      push,
      logger,
      settings: {
        blockingTimeoutMs: config.blockingTimeoutMs,
        cancelWaitMs: config.cancelWaitMs,
        ...(config.maxQueuedTasksPerTenant > 0
          ? { maxQueuedTasksPerTenant: config.maxQueuedTasksPerTenant }
          : {}),
        retentionSeconds: config.retentionSeconds,
        pushNotifications: true,
        maxPushConfigsPerTask: config.pushConfigsPerTaskMax,
        listPageMaxBytes: config.listPageMaxBytes,
      },
    },
    principals,
    cards,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    pushKeys: {
      jwks: async () => (await signingKeysFromSecret(config.aws, config.push.signingSecretId)()).jwks(),
    },
  };
}

/**
 * The function-URL Lambda: the same deps, streaming served, and the JWT verified here (function
 * URLs have no authorizer; AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL are required).
 */
export function awsStreamingGatewayDeps(
  config: Readonly<GatewayConfig>,
  logger: Logger,
  remoteAgents: readonly AgentDescriptor[] = [],
): GatewayDeps {
  const verifier = jwtVerifier(config);
  if (!verifier)
    throw new Error('The streaming gateway verifies JWTs itself: set AUTH_MODE=verify and AUTH_*');
  const s = config.streaming;
  return {
    ...awsGatewayDeps(config, logger, remoteAgents),
    principals: verifyingResolver(verifier),
    streaming: {
      heartbeatMs: s.heartbeatMs,
      maxStreamsPerProcess: s.maxPerProcess,
      maxStreamsPerTenant: s.maxPerTenant,
      maxDurationMs: s.maxDurationMs,
      directReplyWaitMs: s.directReplyWaitMs,
    },
  };
}

/**
 * AUTH_MODE=verify: the JWT is verified here. AUTH_MODE=authorizer: API Gateway's authorizer
 * context is trusted, and the JWT is verified again (and its JWKS fetched) only with
 * AUTH_REVERIFY=true, even when the AUTH_* variables are set.
 */
function principalResolver(config: Readonly<GatewayConfig>): PrincipalResolver {
  const { mode, reverify } = config.auth;
  if (mode === 'verify') return verifyingResolver(requiredVerifier(config));
  return authorizerContextResolver(reverify ? requiredVerifier(config) : undefined);
}

function requiredVerifier(config: Readonly<GatewayConfig>): TokenVerifier {
  const verifier = jwtVerifier(config);
  // loadGatewayConfig requires AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL in both cases.
  if (!verifier) throw new Error('AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL are required to verify JWTs');
  return verifier;
}

function jwtVerifier(config: Readonly<GatewayConfig>): TokenVerifier | undefined {
  const { auth } = config;
  if (!auth.issuer || !auth.audience || !auth.jwksUrl) return undefined;
  return createTokenVerifier({
    issuer: auth.issuer,
    audience: auth.audience,
    jwksUrl: auth.jwksUrl,
    algorithms: auth.algorithms,
    tenantClaim: auth.tenantClaim,
    clockToleranceSeconds: auth.clockToleranceSeconds,
    maxTokenLifetimeSeconds: auth.maxTokenLifetimeSeconds,
  });
}
