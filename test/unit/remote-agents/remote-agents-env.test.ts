import { describe, expect, it } from 'vitest';
import { readRemoteAgentsEnv, readRemoteCallsEnv } from '../../../adapters/a2a-remote/remote-agents-env';
import { ConfigError, EnvReader } from '../../../adapters/config/env-config';

const read = (env: Record<string, string>) => {
  const r = new EnvReader(env, 'test');
  return r.done(readRemoteCallsEnv(r));
};

describe('the remote agents env', () => {
  it('has no remote agents, https only and a 30 s timeout by default', () => {
    expect(read({})).toEqual({ agents: [], allowHttpHosts: [], requestTimeoutMs: 30_000 });
  });

  it('reads the agents from REMOTE_AGENTS', () => {
    const agents = [{ id: 'weather', cardUrl: 'https://weather.example.com/.well-known/agent-card.json' }];
    expect(read({ REMOTE_AGENTS: JSON.stringify(agents), REMOTE_AGENT_TIMEOUT_MS: '5000' })).toMatchObject({
      agents,
      requestTimeoutMs: 5000,
    });
  });

  it("gives the gateway's part without the call timeout", () => {
    const r = new EnvReader({ REMOTE_AGENTS_ALLOW_HTTP_HOSTS: '127.0.0.1' }, 'test');
    expect(r.done(readRemoteAgentsEnv(r))).toEqual({ agents: [], allowHttpHosts: ['127.0.0.1'] });
  });

  it('reports a broken REMOTE_AGENTS with the other config problems', () => {
    const attempt = () =>
      read({
        REMOTE_AGENTS:
          '[{"id":"w","cardUrl":"https://w.example.com/c","auth":{"type":"bearer","token":"x"}}]',
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/REMOTE_AGENTS\[0\]\.auth: token must not be inline/);
    expect(() => read({ REMOTE_AGENTS: '[{' })).toThrow(/REMOTE_AGENTS: not valid JSON/);
  });
});
