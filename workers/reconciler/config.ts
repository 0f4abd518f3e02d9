/** The reconciler's config: env read once, validated, frozen. */
import { type AwsConfig, readAwsConfig } from '../../adapters/aws/aws-config';
import { type Env, EnvReader, LOG_LEVELS, type LogLevel } from '../../adapters/config/env-config';

export interface ReconcilerConfig {
  aws: AwsConfig;
  logLevel: LogLevel;
  workQueueUrl: string;
  /** tasks examined per run */
  maxItems: number;
  /** after re-enqueueing a task, wait this long before considering it again */
  backoffMs: number;
}

export function loadReconcilerConfig(env: Env): Readonly<ReconcilerConfig> {
  const r = new EnvReader(env, 'reconciler');
  return r.done({
    aws: readAwsConfig(r),
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    workQueueUrl: r.url('WORK_QUEUE_URL', { required: true }) ?? '',
    maxItems: r.int('RECONCILE_MAX_ITEMS', 100, 1, 1000),
    backoffMs: r.int('RECONCILE_BACKOFF_SECONDS', 300, 10, 86_400) * 1000,
  });
}
