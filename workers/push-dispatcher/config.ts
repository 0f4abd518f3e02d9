/** The push dispatcher's config: env read once, validated, frozen. */
import { type AwsConfig, readAwsConfig } from '../../adapters/aws/aws-config';
import { type Env, EnvReader, LOG_LEVELS, type LogLevel } from '../../adapters/config/env-config';
import { type PushConfig, readPushConfig } from '../../adapters/push/push-config';

export interface PushDispatcherConfig {
  aws: AwsConfig;
  push: PushConfig;
  /** `iss` of the push signatures: the gateway's public URL */
  issuer: string;
  logLevel: LogLevel;
  timeoutMs: number;
  suspendAfter: number;
  backoff: { baseSeconds: number; maxSeconds: number };
}

export function loadPushDispatcherConfig(env: Env): Readonly<PushDispatcherConfig> {
  const r = new EnvReader(env, 'push-dispatcher');
  return r.done({
    aws: readAwsConfig(r),
    push: readPushConfig(r),
    issuer: r.url('PUSH_ISSUER', { required: true }) ?? '',
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    timeoutMs: r.int('PUSH_TIMEOUT_MS', 10_000, 1_000, 30_000),
    suspendAfter: r.int('PUSH_SUSPEND_AFTER', 5, 1, 1_000),
    backoff: {
      baseSeconds: r.int('PUSH_BACKOFF_BASE_SECONDS', 2, 1, 900),
      maxSeconds: r.int('PUSH_BACKOFF_MAX_SECONDS', 600, 1, 43_200),
    },
  });
}
