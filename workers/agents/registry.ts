/** The implementations behind the agent catalog's ids. */
import type { Agent } from '../../core/ports/agent';
import { createConformanceAgent } from './conformance';
import { echoAgent } from './echo';

export interface AgentRuntimeOptions {
  resubscribeWaitMs: number;
}

export function createAgentRegistry(opts: AgentRuntimeOptions): ReadonlyMap<string, Agent> {
  const agents: Agent[] = [echoAgent, createConformanceAgent({ resubscribeWaitMs: opts.resubscribeWaitMs })];
  return new Map(agents.map((a) => [a.id, a]));
}
