/**
 * Lambda entry for the API Gateway HTTP API authorizer. Config and wiring happen once per cold
 * start; the logic lives in createAuthorizer.
 */
import { withInvocation } from '../adapters/logging/invocation-context';
import { createLogger } from '../adapters/logging/logger';
import { emfMetrics } from '../adapters/metrics/emf-metrics';
import {
  createAuthorizer,
  type HttpApiAuthorizerEvent,
  type HttpApiSimpleAuthorizerResult,
} from './authorizer';
import { loadAuthorizerConfig } from './config';

const config = loadAuthorizerConfig(process.env);

const logger = createLogger({ service: 'authorizer', level: config.logLevel });

const authorize = createAuthorizer(config, { logger, metrics: emfMetrics({ service: 'authorizer' }) });

export const handler = withInvocation(
  (event: HttpApiAuthorizerEvent): Promise<HttpApiSimpleAuthorizerResult> => authorize(event),
);
