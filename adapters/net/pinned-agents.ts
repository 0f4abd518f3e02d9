/**
 * Keep-alive connections for DNS-pinned requests (pinned-request.ts), without weakening the pin:
 * one `http.Agent`/`https.Agent` per (origin, vetted address set), whose own `lookup` answers only
 * those addresses. A socket opened for one origin or one set of checked addresses therefore
 * never carries a request for another: a new check that returns other addresses (DNS changed,
 * or someone rebinds it) gets another agent and a new connection, and the old agent's sockets
 * only idle out. Node's agent keys its pool by host, port and TLS options, not by the address it
 * connected to, which is why a single shared agent would not do.
 *
 * Bounded: at most `maxAgents` agents (least recently used dropped first), `maxSocketsPerAgent`
 * connections each (more requests wait in the agent's queue), and an idle socket is closed after
 * `idleTimeoutMs` (below the 5 s keep-alive timeout of Node servers, so we close first).
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { VettedAddress, VettedOutboundUrl } from './outbound-url';

export interface PinnedAgentPoolOptions {
  /** distinct (origin, address set) pairs kept; default 64 */
  maxAgents?: number;
  /** open connections per agent; default 16 */
  maxSocketsPerAgent?: number;
  /** an idle kept-alive socket is closed after this; default 4,000 ms */
  idleTimeoutMs?: number;
}

export const DEFAULT_PINNED_AGENT_LIMITS = {
  maxAgents: 64,
  maxSocketsPerAgent: 16,
  idleTimeoutMs: 4_000,
} as const;

type PinnedAgent = HttpAgent | HttpsAgent;

/** A lookup that answers only the vetted addresses (and fails when there are none). */
export function pinnedLookup(addresses: readonly VettedAddress[]): LookupFunction {
  return (_host, options, callback) => {
    const first = addresses[0];
    if (!first) callback(Object.assign(new Error('no vetted address'), { code: 'ENOTFOUND' }), '', 4);
    else if (options.all) callback(null, [...addresses]);
    else callback(null, first.address, first.family);
  };
}

/** The pool's key: the origin, the TLS server name rule and every vetted address, in order. */
export function pinnedAgentKey(vetted: VettedOutboundUrl): string {
  const addresses = vetted.addresses.map((a) => `${a.family}/${a.address}`).join(',');
  return `${vetted.url.origin} ${vetted.isIpLiteral ? 'ip' : 'name'} ${addresses}`;
}

export class PinnedAgentPool {
  private readonly agents = new Map<string, PinnedAgent>();
  private readonly limits: Required<PinnedAgentPoolOptions>;

  constructor(options: PinnedAgentPoolOptions = {}) {
    this.limits = { ...DEFAULT_PINNED_AGENT_LIMITS, ...options };
  }

  /** The agent for this vetted URL; undefined when it has no address (the caller fails). */
  agentFor(vetted: VettedOutboundUrl): PinnedAgent | undefined {
    if (vetted.addresses.length === 0) return undefined;
    const key = pinnedAgentKey(vetted);
    let agent = this.agents.get(key);
    if (agent) {
      this.agents.delete(key); // re-inserted below: the map's order is least recently used first
    } else {
      agent = this.create(vetted);
    }
    this.agents.set(key, agent);
    this.evictBeyondCap();
    return agent;
  }

  /** Agents held (one per origin and address set). */
  get size(): number {
    return this.agents.size;
  }

  /** Closes every connection, idle or not. */
  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private create(vetted: VettedOutboundUrl): PinnedAgent {
    const { maxSocketsPerAgent, idleTimeoutMs } = this.limits;
    const options = {
      keepAlive: true,
      maxSockets: maxSocketsPerAgent,
      maxFreeSockets: maxSocketsPerAgent,
      // Node closes a free (idle) socket when this socket timeout fires; for a socket in use it
      // only emits 'timeout', and the caller's own deadline bounds the request.
      timeout: idleTimeoutMs,
      scheduling: 'lifo' as const,
      // Agent options override request options when the agent connects: this agent can reach
      // the vetted addresses and nothing else.
      lookup: pinnedLookup(vetted.addresses),
    };
    return vetted.url.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
  }

  /** An evicted agent keeps no idle socket; sockets still in use finish, then idle out. */
  private evictBeyondCap(): void {
    while (this.agents.size > this.limits.maxAgents) {
      const [key, agent] = this.agents.entries().next().value as [string, PinnedAgent];
      this.agents.delete(key);
      for (const sockets of Object.values(agent.freeSockets)) {
        for (const socket of sockets ?? []) socket.destroy();
      }
    }
  }
}
