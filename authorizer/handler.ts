/**
 * Lambda entry for the API Gateway HTTP API authorizer. Config and wiring happen once per cold
 * start; the logic lives in createAuthorizer.
 */
import pino from 'pino';
import {
  createAuthorizer,
  type HttpApiAuthorizerEvent,
  type HttpApiSimpleAuthorizerResult,
} from './authorizer';
import { loadAuthorizerConfig } from './config';

const config = loadAuthorizerConfig(process.env);

const logger = pino({
  level: config.logLevel,
  base: { service: 'authorizer' },
  redact: {
    paths: ['token', 'authorization', 'headers.authorization', 'identitySource', '*.headers.authorization'],
    censor: '[redacted]',
  },
});

const authorize = createAuthorizer(config, { logger });

export const handler = (event: HttpApiAuthorizerEvent): Promise<HttpApiSimpleAuthorizerResult> =>
  authorize(event);
