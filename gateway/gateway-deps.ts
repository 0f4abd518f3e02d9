/**
 * What the gateway app is built from: the contract between the composition roots (Lambda entry,
 * local stack, tests) and buildApp with its routes. Its own module, so routes and the RPC
 * handler depend on it without importing the app that registers them.
 */
import type { Logger as PinoLogger } from 'pino';
import type { Metrics } from '../core/ports/metrics';
import type { UseCaseDeps } from '../core/use-cases/deps';
import type { PrincipalResolver } from './auth/principal-resolver';
import type { CardSettings } from './cards/agent-card';
import type { OverloadSettings } from './overload';
import type { RequestTimeouts } from './request-timeouts';
import type { PushKeySource } from './routes/jwks-route';
import type { StreamingSettings } from './streaming/streaming-settings';

export interface GatewayDeps {
  useCases: UseCaseDeps;
  principals: PrincipalResolver;
  cards: CardSettings;
  logger: PinoLogger;
  /** largest accepted request body */
  bodyLimitBytes: number;
  /** bounds on requests in flight (503 per process, 429 per tenant) */
  overload?: Partial<OverloadSettings>;
  /** how long a client may take to send its headers and its whole request (408 beyond) */
  requestTimeouts?: Partial<RequestTimeouts>;
  /** ListTasks requests served at once by this process; the others wait their turn (default 4) */
  maxConcurrentLists?: number;
  /** GET /debug/tasks/{id}: local mode only */
  debugRoutes?: boolean;
  /** JSON-RPC errors by code and auth denials by reason (silent when absent) */
  metrics?: Metrics;
  /** the push signing keys, served at /.well-known/jwks.json */
  pushKeys?: PushKeySource;
  /** set where this process serves SSE streams; absent = streaming methods answer -32004 */
  streaming?: StreamingSettings;
}
