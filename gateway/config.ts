/** The gateway's config (one module per deployable): env read once, validated, frozen. */

import { type RemoteAgentsEnv, readRemoteAgentsEnv } from '../adapters/a2a-remote/remote-agents-env';
import { type AwsConfig, readAwsConfig } from '../adapters/aws/aws-config';
import { type Env, EnvReader, LOG_LEVELS, type LogLevel } from '../adapters/config/env-config';
import { type PushConfig, readPushConfig } from '../adapters/push/push-config';
import { DEFAULT_MAX_PUSH_CONFIGS_PER_TASK } from '../core/ports/task-store';

export interface GatewayConfig {
  aws: AwsConfig;
  workQueueUrl: string;
  publicBaseUrl: string;
  logLevel: LogLevel;
  auth: {
    /** 'authorizer': trust API Gateway's authorizer context; 'verify': verify the JWT here */
    mode: 'authorizer' | 'verify';
    /** with mode 'authorizer', also verify the JWT (defence in depth) */
    reverify: boolean;
    issuer?: string;
    audience?: string;
    jwksUrl?: string;
    tenantClaim: string;
    algorithms: string[];
    /** allowed clock skew for exp/nbf/iat, as the authorizer's */
    clockToleranceSeconds: number;
    /** longest accepted `exp - iat`, as the authorizer's */
    maxTokenLifetimeSeconds: number;
    oauthTokenUrl?: string;
  };
  blockingTimeoutMs: number;
  cancelWaitMs: number;
  /** TENANT_MAX_QUEUED_TASKS: SUBMITTED tasks a tenant may have before SendMessage refuses (0 = no cap) */
  maxQueuedTasksPerTenant: number;
  retentionSeconds: number;
  bodyLimitBytes: number;
  /** byte budget of a ListTasks page (the tasks' JSON) */
  listPageMaxBytes: number;
  defaultAgentId: string;
  push: PushConfig;
  /** push configs a task may have (CreateTaskPushNotificationConfig and inline ones) */
  pushConfigsPerTaskMax: number;
  /** remote A2A agents: their cards are fetched at cold start and served as the gateway's */
  remote: RemoteAgentsEnv;
  streaming: {
    /**
     * public base URL of the streaming endpoint (the Lambda function URL with response
     * streaming); when set, the cards advertise it as the JSON-RPC interface with streaming on
     */
    url?: string;
    heartbeatMs: number;
    maxPerProcess: number;
    maxPerTenant: number;
    /** a stream ends after this long, before the function times out; clients resume */
    maxDurationMs: number;
    directReplyWaitMs: number;
  };
}

export function loadGatewayConfig(env: Env): Readonly<GatewayConfig> {
  const r = new EnvReader(env, 'gateway');
  const mode = r.oneOf('AUTH_MODE', ['authorizer', 'verify'] as const, 'authorizer');
  const reverify = r.bool('AUTH_REVERIFY', false);
  const needsJwt = mode === 'verify' || reverify;
  const auth: GatewayConfig['auth'] = {
    mode,
    reverify,
    tenantClaim: r.string('AUTH_TENANT_CLAIM', 'tenant'),
    algorithms: r.list('AUTH_ALGORITHMS', ['RS256', 'ES256']),
    clockToleranceSeconds: r.int('AUTH_CLOCK_TOLERANCE_SECONDS', 30, 0, 300),
    maxTokenLifetimeSeconds: r.int('AUTH_MAX_TOKEN_LIFETIME_SECONDS', 86_400, 60, 30 * 86_400),
  };
  const issuer = needsJwt ? r.string('AUTH_ISSUER') : r.optional('AUTH_ISSUER');
  const audience = needsJwt ? r.string('AUTH_AUDIENCE') : r.optional('AUTH_AUDIENCE');
  const jwksUrl = r.url('AUTH_JWKS_URL', { required: needsJwt });
  const tokenUrl = r.url('OAUTH_TOKEN_URL', { required: false });
  if (issuer) auth.issuer = issuer;
  if (audience) auth.audience = audience;
  if (jwksUrl) auth.jwksUrl = jwksUrl;
  if (tokenUrl) auth.oauthTokenUrl = tokenUrl;
  const blockingTimeoutMs = r.int('BLOCKING_TIMEOUT_MS', 25_000, 0, 28_000);
  const streamingUrl = r.url('STREAMING_URL', { required: false });
  const streaming: GatewayConfig['streaming'] = {
    heartbeatMs: r.int('STREAM_HEARTBEAT_MS', 15_000, 1_000, 120_000),
    maxPerProcess: r.int('STREAM_MAX_PER_PROCESS', 1_000, 1, 100_000),
    maxPerTenant: r.int('STREAM_MAX_PER_TENANT', 100, 1, 100_000),
    maxDurationMs: r.int('STREAM_MAX_DURATION_MS', 840_000, 0, 890_000),
    directReplyWaitMs: r.int('STREAM_DIRECT_REPLY_WAIT_MS', 1_500, 0, 10_000),
  };
  if (streamingUrl) streaming.url = streamingUrl;
  return r.done({
    aws: readAwsConfig(r),
    workQueueUrl: r.url('WORK_QUEUE_URL', { required: true }) ?? '',
    publicBaseUrl: r.url('PUBLIC_BASE_URL', { required: true }) ?? '',
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    auth,
    blockingTimeoutMs,
    cancelWaitMs: r.int('CANCEL_WAIT_MS', 5_000, 0, 20_000),
    maxQueuedTasksPerTenant: r.int('TENANT_MAX_QUEUED_TASKS', 1_000, 0, 100_000),
    retentionSeconds: r.int('RETENTION_DAYS', 7, 1, 3650) * 86_400,
    bodyLimitBytes: r.int('BODY_LIMIT_BYTES', 1_048_576, 1024, 6_000_000),
    listPageMaxBytes: r.int('LIST_PAGE_MAX_BYTES', 4 * 1024 * 1024, 65_536, 5_000_000),
    defaultAgentId: r.string('DEFAULT_AGENT_ID', 'echo'),
    push: readPushConfig(r),
    pushConfigsPerTaskMax: r.int('PUSH_CONFIGS_PER_TASK_MAX', DEFAULT_MAX_PUSH_CONFIGS_PER_TASK, 1, 100),
    remote: readRemoteAgentsEnv(r),
    streaming,
  });
}
