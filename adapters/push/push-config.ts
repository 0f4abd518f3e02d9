/** The push part of the env contract (gateway, agent worker, push dispatcher). */
import type { EnvReader } from '../config/env-config';

export interface PushConfig {
  pushQueueUrl: string;
  /** Secrets Manager id of the signing keys ({ current, previous? } private JWKs) */
  signingSecretId: string;
  /** hosts whose webhooks may use plain http (test setups only) */
  allowHttpHosts: string[];
}

export function readPushConfig(env: EnvReader): PushConfig {
  return {
    pushQueueUrl: env.url('PUSH_QUEUE_URL', { required: true }) ?? '',
    signingSecretId: env.string('PUSH_SIGNING_SECRET_ID'),
    allowHttpHosts: env.list('WEBHOOK_ALLOW_HTTP_HOSTS'),
  };
}
