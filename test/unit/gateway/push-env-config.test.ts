/** The push settings of the gateway and push dispatcher configs: allowlist entries and the cap. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../adapters/config/env-config';
import { loadGatewayConfig } from '../../../gateway/config';
import { loadPushDispatcherConfig } from '../../../workers/push-dispatcher/config';

const gatewayEnv = {
  TABLE_NAME: 'tasks',
  WORK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/work',
  PUSH_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/push',
  PUSH_SIGNING_SECRET_ID: 'push-keys',
  PUBLIC_BASE_URL: 'https://a2a.example.com',
};
const dispatcherEnv = { ...gatewayEnv, PUSH_ISSUER: 'https://a2a.example.com' };

function problems(load: () => unknown): string[] {
  try {
    load();
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('WEBHOOK_ALLOW_HTTP_HOSTS', () => {
  it('accepts host names, IPv4 and IPv6 addresses (with or without brackets)', () => {
    const hosts = 'receiver.test, 10.0.0.7, ::1, [fd00::7], Mixed-Case.Example';
    expect(loadGatewayConfig({ ...gatewayEnv, WEBHOOK_ALLOW_HTTP_HOSTS: hosts }).push.allowHttpHosts).toEqual(
      ['receiver.test', '10.0.0.7', '::1', '[fd00::7]', 'Mixed-Case.Example'],
    );
  });

  it.each([
    [loadGatewayConfig, gatewayEnv],
    [loadPushDispatcherConfig, dispatcherEnv],
  ] as const)(
    'refuses host:port entries, which would never match, with a clear message (%o)',
    (load, env) => {
      const found = problems(() =>
        load({ ...env, WEBHOOK_ALLOW_HTTP_HOSTS: 'ok.test,localhost:8080,[::1]:9000,http://x.test/hook' }),
      );
      expect(found).toEqual([
        'WEBHOOK_ALLOW_HTTP_HOSTS: "localhost:8080" has a port: entries are hosts and match any port (write "localhost")',
        'WEBHOOK_ALLOW_HTTP_HOSTS: "[::1]:9000" has a port: entries are hosts and match any port (write "[::1]")',
        'WEBHOOK_ALLOW_HTTP_HOSTS: "http://x.test/hook" is not a host name or IP address',
      ]);
    },
  );
});

describe('PUSH_CONFIGS_PER_TASK_MAX', () => {
  it('defaults to 10 and takes 1 to 100', () => {
    expect(loadGatewayConfig(gatewayEnv).pushConfigsPerTaskMax).toBe(10);
    expect(loadGatewayConfig({ ...gatewayEnv, PUSH_CONFIGS_PER_TASK_MAX: '3' }).pushConfigsPerTaskMax).toBe(
      3,
    );
    expect(problems(() => loadGatewayConfig({ ...gatewayEnv, PUSH_CONFIGS_PER_TASK_MAX: '0' }))).toEqual([
      'PUSH_CONFIGS_PER_TASK_MAX: must be an integer from 1 to 100 (got "0")',
    ]);
  });
});
