/** The push part of the env contract (gateway, agent worker, push dispatcher). */
import { isIP } from 'node:net';
import type { EnvReader } from '../config/env-config';

export interface PushConfig {
  pushQueueUrl: string;
  /** Secrets Manager id of the signing keys ({ current, previous? } private JWKs) */
  signingSecretId: string;
  /** hosts whose webhooks may use plain http (test setups only); each matches any port */
  allowHttpHosts: string[];
}

export function readPushConfig(env: EnvReader): PushConfig {
  const allowHttpHosts = env.list('WEBHOOK_ALLOW_HTTP_HOSTS');
  for (const entry of allowHttpHosts) {
    const problem = allowHttpHostProblem(entry);
    if (problem) env.problem(`WEBHOOK_ALLOW_HTTP_HOSTS: ${JSON.stringify(entry)} ${problem}`);
  }
  return {
    pushQueueUrl: env.url('PUSH_QUEUE_URL', { required: true }) ?? '',
    signingSecretId: env.string('PUSH_SIGNING_SECRET_ID'),
    allowHttpHosts,
  };
}

/**
 * An allowlist entry is a host name, an IPv4 address or an IPv6 address (brackets optional),
 * and matches that host on any port. `host:port`, URLs and paths would never match a webhook's
 * host, so they are refused here rather than silently ignored.
 */
export function allowHttpHostProblem(entry: string): string | undefined {
  const bare = entry.startsWith('[') && entry.endsWith(']') ? entry.slice(1, -1) : entry;
  if (isIP(bare) === 6 || /^[A-Za-z0-9.-]+$/.test(entry)) return undefined;
  const port = /^(.+):(\d{1,5})$/.exec(entry);
  if (port && (port[1] === undefined || allowHttpHostProblem(port[1]) === undefined)) {
    return `has a port: entries are hosts and match any port (write ${JSON.stringify(port[1])})`;
  }
  return 'is not a host name or IP address';
}
