/** The DLQ consumer's config: env read once, validated, frozen. */
import { type AwsConfig, readAwsConfig } from '../../adapters/aws/aws-config';
import { type Env, EnvReader, LOG_LEVELS, type LogLevel } from '../../adapters/config/env-config';

export interface DlqConsumerConfig {
  aws: AwsConfig;
  logLevel: LogLevel;
  leaseMs: number;
  retentionSeconds: number;
  pushQueueUrl: string;
}

export function loadDlqConsumerConfig(env: Env): Readonly<DlqConsumerConfig> {
  const r = new EnvReader(env, 'dlq-consumer');
  return r.done({
    aws: readAwsConfig(r),
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    leaseMs: r.int('LEASE_SECONDS', 120, 10, 900) * 1000,
    retentionSeconds: r.int('RETENTION_DAYS', 7, 1, 3650) * 86_400,
    pushQueueUrl: r.url('PUSH_QUEUE_URL', { required: true }) ?? '',
  });
}
