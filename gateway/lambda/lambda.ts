/**
 * Lambda entry of the gateway (API Gateway HTTP API, payload v2). Wiring happens once per cold
 * start: the remote agents' cards are fetched first (bounded, in parallel; one that fails is
 * skipped or served from its config, see adapters/a2a-remote/remote-card-loader.ts).
 */
import awsLambdaFastify from '@fastify/aws-lambda';
import { awsRemoteAgentDescriptors } from '../../adapters/a2a-remote/aws-remote-agent-cards';
import { withInvocation } from '../../adapters/logging/invocation-context';
import { createLogger } from '../../adapters/logging/logger';
import { buildApp } from '../app';
import { loadGatewayConfig } from '../config';
import { awsGatewayDeps } from './wiring';

const config = loadGatewayConfig(process.env);
const logger = createLogger({ service: 'gateway', level: config.logLevel });
const remoteAgents = await awsRemoteAgentDescriptors(config.remote, logger);
const proxy = buildApp(awsGatewayDeps(config, logger, remoteAgents)).then(async (app) => {
  const handler = awsLambdaFastify(app, { decorateRequest: true });
  await app.ready();
  return handler;
});

export const handler = async (event: unknown, context: { awsRequestId?: string }): Promise<unknown> => {
  const run = await proxy;
  return withInvocation((e: unknown) => run(e as never, context as never))(event, context);
};
