/**
 * GetExtendedAgentCard: the authenticated card, cut to what the caller's token allows. Skills
 * are listed only with `tasks:submit` (without it the token cannot use them), each with its
 * security requirement; the `agents` extension lists every agent behind this gateway that the
 * token may reach (its `agent:<id>` scopes), with its endpoint.
 */
import type { AgentCatalog } from '../../core/agent-catalog';
import type { Principal } from '../../core/context';
import { TaskNotFoundError } from '../../core/errors';
import { mayUseAgent, Scope } from '../../core/scopes';
import type { ProtocolVersion } from '../../core/task-record';
import { agentPath, buildAgentCard, type CardSettings, interfaceUrlOf } from './agent-card';
import { buildLegacyAgentCard } from './legacy-agent-card';

export const AGENTS_EXTENSION_URI = 'urn:a2a-gateway:extension:agents:v1';

/** An agent a token may reach: what the extended card's extension and GET /agents list. */
export interface ReachableAgent {
  id: string;
  name: string;
  description: string;
  /** its JSON-RPC endpoint */
  url: string;
  /** its public agent card */
  cardUrl: string;
  /** skill ids; empty without `tasks:submit` (the token could not use them) */
  skills: string[];
}

/** The agents behind this gateway that the token's `agent:<id>` scopes allow, in catalog order. */
export function reachableAgents(
  agents: AgentCatalog,
  principal: Principal,
  settings: CardSettings,
): ReachableAgent[] {
  const canSubmit = principal.scopes.includes(Scope.Submit);
  const base = settings.publicBaseUrl.replace(/\/+$/, '');
  return agents
    .all()
    .filter((a) => mayUseAgent(principal.scopes, a.id))
    .map((a) => ({
      id: a.id,
      name: a.name,
      description: a.description,
      url: interfaceUrlOf(a, settings),
      cardUrl: `${base}${agentPath(a.id)}/.well-known/agent-card.json`,
      skills: canSubmit ? a.skills.map((s) => s.id) : [],
    }));
}

export type ExtendedCardSource = (
  agentId: string,
  principal: Principal,
  protocol: ProtocolVersion,
) => unknown;

export function extendedCardSource(agents: AgentCatalog, settings: CardSettings): ExtendedCardSource {
  return (agentId, principal, protocol) => {
    const agent = agents.get(agentId);
    if (!agent) throw new TaskNotFoundError();
    const canSubmit = principal.scopes.includes(Scope.Submit);
    const cut = { ...agent, skills: canSubmit ? agent.skills : [] };
    const card = protocol === '0.3' ? buildLegacyAgentCard(cut, settings) : buildAgentCard(cut, settings);
    const reachable = reachableAgents(agents, principal, settings);
    const capabilities = (card.capabilities ?? {}) as Record<string, unknown>;
    card.capabilities = {
      ...capabilities,
      extensions: [
        {
          uri: AGENTS_EXTENSION_URI,
          description: 'The agents behind this gateway that this token may reach',
          required: false,
          params: { agents: reachable },
        },
      ],
    };
    return card;
  };
}
