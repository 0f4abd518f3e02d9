/**
 * Builds the gateway's dependencies for AWS (Lambda): DynamoDB store, SQS queue, a polling
 * watcher, and the principal from the authorizer context (optionally re-verified). Runs once
 * per cold start.
 */

import type { Logger } from 'pino';
import { dynamoDocumentClient, sqsClient } from '../adapters/aws/aws-clients';
import { DynamoTaskStore } from '../adapters/dynamo/dynamo-task-store';
import { pollingTaskWatcher } from '../adapters/polling/polling-task-watcher';
import { SqsWorkQueue } from '../adapters/sqs/sqs-work-queue';
import { createTokenVerifier, type TokenVerifier } from '../authorizer/token-verifier';
import { AGENTS, createAgentCatalog } from '../core/agent-catalog';
import { randomIds, systemClock } from '../core/ports/clock';
import type { GatewayDeps } from './app';
import { authorizerContextResolver, verifyingResolver } from './auth/principal-resolver';
import type { GatewayConfig } from './config';
import { httpsOnlyWebhookPolicy } from './webhook-policy';

export function awsGatewayDeps(config: Readonly<GatewayConfig>, logger: Logger): GatewayDeps {
  const store = new DynamoTaskStore({
    client: dynamoDocumentClient(config.aws),
    tableName: config.aws.tableName,
  });
  const queue = new SqsWorkQueue(sqsClient(config.aws), config.workQueueUrl);
  const verifier = jwtVerifier(config);
  const principals =
    config.auth.mode === 'verify' && verifier
      ? verifyingResolver(verifier)
      : authorizerContextResolver(verifier);
  const cards: GatewayDeps['cards'] = {
    publicBaseUrl: config.publicBaseUrl,
    streaming: false,
    pushNotifications: true,
    extendedAgentCard: false,
  };
  if (config.auth.oauthTokenUrl) cards.oauthTokenUrl = config.auth.oauthTokenUrl;
  return {
    useCases: {
      store,
      queue,
      watcher: pollingTaskWatcher(store),
      clock: systemClock,
      ids: randomIds,
      agents: createAgentCatalog(AGENTS, config.defaultAgentId),
      webhookUrls: httpsOnlyWebhookPolicy(config.webhookAllowHttpHosts),
      logger,
      settings: {
        blockingTimeoutMs: config.blockingTimeoutMs,
        cancelWaitMs: config.cancelWaitMs,
        retentionSeconds: config.retentionSeconds,
        pushNotifications: true,
      },
    },
    principals,
    cards,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
  };
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
    clockToleranceSeconds: 30,
  });
}
