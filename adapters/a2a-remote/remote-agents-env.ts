/**
 * The remote-agent part of the env contract:
 * - REMOTE_AGENTS: the JSON array of core/remote-agents.ts (ids, card URLs, auth by secret id);
 * - REMOTE_AGENTS_ALLOW_HTTP_HOSTS: hosts that may be reached over plain http (test setups only;
 *   an IP literal listed here also passes the SSRF range checks);
 * both read by the gateway (cards) and the agent worker (calls), and
 * - REMOTE_AGENT_TIMEOUT_MS: the wait for a remote's answer (per request), read by the worker only.
 */
import {
  parseRemoteAgentsConfig,
  type RemoteAgentConfig,
  RemoteAgentsConfigError,
} from '../../core/remote-agents';
import type { EnvReader } from '../config/env-config';

export interface RemoteAgentsEnv {
  agents: RemoteAgentConfig[];
  allowHttpHosts: string[];
}

export interface RemoteCallsEnv extends RemoteAgentsEnv {
  requestTimeoutMs: number;
}

export function readRemoteAgentsEnv(r: EnvReader): RemoteAgentsEnv {
  const raw = r.optional('REMOTE_AGENTS');
  let agents: RemoteAgentConfig[] = [];
  if (raw !== undefined) {
    try {
      agents = parseRemoteAgentsConfig(JSON.parse(raw), 'REMOTE_AGENTS');
    } catch (err) {
      if (err instanceof RemoteAgentsConfigError)
        for (const p of err.problems) r.problem(`REMOTE_AGENTS${p}`);
      else r.problem('REMOTE_AGENTS: not valid JSON');
    }
  }
  return { agents, allowHttpHosts: r.list('REMOTE_AGENTS_ALLOW_HTTP_HOSTS') };
}

export function readRemoteCallsEnv(r: EnvReader): RemoteCallsEnv {
  return {
    ...readRemoteAgentsEnv(r),
    requestTimeoutMs: r.int('REMOTE_AGENT_TIMEOUT_MS', 30_000, 1_000, 600_000),
  };
}
