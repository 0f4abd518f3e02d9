/** The agent worker's config: env read once, validated (all problems together), frozen. */

import { type RemoteCallsEnv, readRemoteCallsEnv } from '../adapters/a2a-remote/remote-agents-env';
import { type AwsConfig, readAwsConfig } from '../adapters/aws/aws-config';
import { type Env, EnvReader, LOG_LEVELS, type LogLevel } from '../adapters/config/env-config';

export type ModelConfig = { provider: 'local' } | { provider: 'bedrock'; modelId: string };

export interface WorkerConfig {
  aws: AwsConfig;
  logLevel: LogLevel;
  leaseMs: number;
  heartbeatMs: number;
  retentionSeconds: number;
  resubscribeWaitMs: number;
  /** the work queue: the handler extends the visibility of the message it is running */
  workQueueUrl: string;
  /** the push queue: commits of tasks with push configs trigger deliveries */
  pushQueueUrl: string;
  /** the work queue's visibility timeout; must cover the lease so a redelivery finds it expired */
  visibilityTimeoutSeconds: number;
  /** LangGraph checkpoints expire this long after they are written (covers waiting for input) */
  checkpointTtlSeconds: number;
  /** the model of the currency and router agents: the offline local models, or Bedrock */
  model: ModelConfig;
  /** remote A2A agents: tasks for them are forwarded; the router delegates to them too */
  remote: RemoteCallsEnv;
  /** how long the router waits for one delegated sub-task */
  routerSubtaskTimeoutMs: number;
  /** live exchange rates (Frankfurter API shape); fixture rates when unset */
  ratesApiUrl?: string;
}

export function loadWorkerConfig(env: Env): Readonly<WorkerConfig> {
  const r = new EnvReader(env, 'agent-worker');
  const leaseSeconds = r.int('LEASE_SECONDS', 120, 10, 900);
  const visibilityTimeoutSeconds = r.int('WORK_VISIBILITY_TIMEOUT_SECONDS', 180, 30, 43_200);
  if (visibilityTimeoutSeconds < leaseSeconds) {
    r.problem(
      'WORK_VISIBILITY_TIMEOUT_SECONDS: must be at least LEASE_SECONDS (a redelivery must find the lease expired)',
    );
  }
  const provider = r.oneOf('MODEL_PROVIDER', ['local', 'bedrock'] as const, 'local');
  const model: ModelConfig =
    provider === 'bedrock' ? { provider, modelId: r.string('BEDROCK_MODEL_ID') } : { provider: 'local' };
  const config: WorkerConfig = {
    aws: readAwsConfig(r),
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    leaseMs: leaseSeconds * 1000,
    heartbeatMs: r.int('HEARTBEAT_MS', 2_000, 100, 60_000),
    retentionSeconds: r.int('RETENTION_DAYS', 7, 1, 3650) * 86_400,
    resubscribeWaitMs: r.int('RESUBSCRIBE_WAIT_MS', 10_000, 0, 600_000),
    workQueueUrl: r.url('WORK_QUEUE_URL', { required: true }) ?? '',
    pushQueueUrl: r.url('PUSH_QUEUE_URL', { required: true }) ?? '',
    visibilityTimeoutSeconds,
    checkpointTtlSeconds: r.int('CHECKPOINT_TTL_DAYS', 30, 1, 3650) * 86_400,
    model,
    remote: readRemoteCallsEnv(r),
    routerSubtaskTimeoutMs: r.int('ROUTER_SUBTASK_TIMEOUT_MS', 600_000, 1_000, 3_600_000),
  };
  const rates = r.url('RATES_API_URL', { required: false });
  if (rates) config.ratesApiUrl = rates;
  return r.done(config);
}
