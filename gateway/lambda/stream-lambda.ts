/**
 * Lambda entry of the streaming gateway: a function URL with InvokeMode RESPONSE_STREAM, wrapped
 * by the runtime's `awslambda.streamifyResponse`. It serves the whole JSON-RPC endpoint (both
 * protocol versions); streams end before the function timeout (STREAM_MAX_DURATION_MS) and
 * clients resume with Last-Event-ID. Wiring happens once per cold start (remote agents' cards
 * first, as in lambda.ts).
 */
import { awsRemoteAgentDescriptors } from '../../adapters/a2a-remote/aws-remote-agent-cards';
import { createLogger } from '../../adapters/logging/logger';
import { loadGatewayConfig } from '../config';
import { lambdaStreamingRuntime } from './lambda-stream-types';
import { createStreamingHandler } from './streaming-handler';
import { awsStreamingGatewayDeps } from './wiring';

const config = loadGatewayConfig(process.env);
const logger = createLogger({ service: 'gateway-stream', level: config.logLevel });
const runtime = lambdaStreamingRuntime();
const remoteAgents = await awsRemoteAgentDescriptors(config.remote, logger);
const { handler: streaming } = createStreamingHandler(
  awsStreamingGatewayDeps(config, logger, remoteAgents),
  runtime.HttpResponseStream,
);

export const handler = runtime.streamifyResponse(streaming);
