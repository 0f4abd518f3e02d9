/** The agent worker's config: env read once, validated, frozen. */
import { type AwsConfig, readAwsConfig } from '../adapters/aws/aws-config';
import { type Env, EnvReader, LOG_LEVELS, type LogLevel } from '../adapters/config/env-config';

export interface WorkerConfig {
  aws: AwsConfig;
  logLevel: LogLevel;
  leaseMs: number;
  heartbeatMs: number;
  retentionSeconds: number;
  resubscribeWaitMs: number;
}

export function loadWorkerConfig(env: Env): Readonly<WorkerConfig> {
  const r = new EnvReader(env, 'agent-worker');
  return r.done({
    aws: readAwsConfig(r),
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    leaseMs: r.int('LEASE_SECONDS', 120, 10, 900) * 1000,
    heartbeatMs: r.int('HEARTBEAT_MS', 2_000, 100, 60_000),
    retentionSeconds: r.int('RETENTION_DAYS', 7, 1, 3650) * 86_400,
    resubscribeWaitMs: r.int('RESUBSCRIBE_WAIT_MS', 10_000, 0, 600_000),
  });
}
