/**
 * One pino logger per process, with the same field names everywhere (service, tenant, taskId,
 * contextId, method, requestId, traceId, seq, attempt). Secrets are removed by configuration:
 * the redact paths below, not the discipline of each call site.
 */
import pino, { type Logger, type LoggerOptions } from 'pino';
import { invocationFields } from './invocation-context';

export const REDACT_PATHS = [
  'token',
  'authorization',
  'credentials',
  'headers.authorization',
  'identitySource',
  'req.headers.authorization',
  'config.token',
  'config.authentication.credentials',
  'authentication.credentials',
  'signature',
  'body',
  'message.parts',
  'parts',
  '*.token',
  '*.credentials',
  '*.authorization',
];

/**
 * pino's error serializer, with the error's `type` taken from its `name` instead of its
 * constructor's: the Lambda bundles are minified without keepNames (README decision 87), so a
 * constructor's own name is a minified one there, while every error class of ours, Node's and the
 * AWS SDK's says its `name`. (Causes are folded into the message and the stack, which use names.)
 */
export function serializeError(err: Error): ReturnType<typeof pino.stdSerializers.err> {
  const out = pino.stdSerializers.err(err);
  if (err instanceof Error && typeof out === 'object' && out !== null) out.type = err.name;
  return out;
}

export interface LoggerSettings {
  /** omitted for a process that hosts several services; their children set it */
  service?: string;
  level: string;
  /** human-readable lines (local mode on a TTY) */
  pretty?: boolean;
  destination?: pino.DestinationStream;
}

export function createLogger(s: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: s.level,
    base: s.service ? { service: s.service } : {},
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: invocationFields,
  };
  if (s.pretty) {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' },
      },
    });
  }
  return s.destination ? pino(options, s.destination) : pino(options);
}
