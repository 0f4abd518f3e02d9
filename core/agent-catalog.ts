/**
 * The one registry of agents, as data: what the gateway needs for cards and routing. The workers
 * pair each id with its implementation (workers/agents/registry.ts). Pure data: no LangGraph here,
 * so the gateway bundle stays small.
 */
export interface AgentSkill {
  id: string;
  name: string;
  description: string;
  tags: string[];
  examples?: string[];
  inputModes?: string[];
  outputModes?: string[];
}

export interface AgentDescriptor {
  id: string;
  name: string;
  description: string;
  version: string;
  defaultInputModes: string[];
  defaultOutputModes: string[];
  skills: AgentSkill[];
}

export const AGENTS: readonly AgentDescriptor[] = [
  {
    id: 'echo',
    name: 'Echo',
    description: 'Replies with the text it was sent, as an artifact and a status message.',
    version: '1.0.0',
    defaultInputModes: ['text/plain', 'application/json'],
    defaultOutputModes: ['text/plain'],
    skills: [
      {
        id: 'echo',
        name: 'Echo',
        description: 'Echoes the message text back.',
        tags: ['echo', 'test'],
        examples: ['hello'],
      },
    ],
  },
  {
    id: 'conformance',
    name: 'A2A conformance agent',
    description:
      'Behaves as the A2A conformance kit (TCK) expects, chosen by the messageId prefix (tck-complete-task, tck-input-required, ...).',
    version: '1.0.0',
    defaultInputModes: ['text/plain', 'application/json'],
    defaultOutputModes: ['text/plain', 'application/json'],
    skills: [
      {
        id: 'tck',
        name: 'TCK behaviours',
        description: 'Completes, rejects, asks for input, streams or produces artifacts on request.',
        tags: ['conformance', 'test'],
        examples: ['tck-complete-task'],
      },
    ],
  },
  {
    id: 'currency',
    name: 'Currency Agent',
    description: 'Helps with exchange rates and currency conversions (a LangGraph tool-calling agent).',
    version: '1.0.0',
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [
      {
        id: 'convert_currency',
        name: 'Currency Exchange Rates Tool',
        description: 'Helps with exchange values between various currencies',
        tags: ['currency conversion', 'currency exchange'],
        examples: ['What is exchange rate between USD and GBP?', 'How much is 100 USD in EUR?'],
      },
    ],
  },
];

/**
 * The routing agent: delegates to the other agents by their skills (workers/agents/router). Not in
 * AGENTS: a deployment adds it (with the remote agents) where its workers are wired for it.
 */
export const ROUTER_AGENT: AgentDescriptor = {
  id: 'router',
  name: 'Router',
  description:
    'Answers by delegating to the agents behind this gateway, chosen by their skills, and combining their answers.',
  version: '1.0.0',
  defaultInputModes: ['text/plain'],
  defaultOutputModes: ['text/plain', 'application/json'],
  skills: [
    {
      id: 'delegate',
      name: 'Delegate to agents',
      description:
        'Splits a request into questions, sends each to the agent whose skills fit, and composes one answer.',
      tags: ['router', 'delegation', 'multi-agent'],
      examples: ['How much is 100 USD in EUR, and what is the weather in Paris?'],
    },
  ],
};

/** The built-in agents plus more (the router, remote agents); an id may appear only once. */
export function withAgents(
  base: readonly AgentDescriptor[],
  more: readonly AgentDescriptor[],
): readonly AgentDescriptor[] {
  const ids = new Set(base.map((a) => a.id));
  for (const a of more) {
    if (ids.has(a.id)) throw new Error(`agent ${a.id} is registered twice`);
    ids.add(a.id);
  }
  return [...base, ...more];
}

/** The agents every deployment runs itself: the built-in ones and the router. */
export const BUILT_IN_AGENTS: readonly AgentDescriptor[] = withAgents(AGENTS, [ROUTER_AGENT]);

/** Every agent a deployment serves: the built-in ones, then the remote ones (by their cards). */
export function servedAgents(remote: readonly AgentDescriptor[]): readonly AgentDescriptor[] {
  return withAgents(BUILT_IN_AGENTS, remote);
}

export interface AgentCatalog {
  get(id: string): AgentDescriptor | undefined;
  all(): readonly AgentDescriptor[];
  defaultId: string;
}

export function createAgentCatalog(
  agents: readonly AgentDescriptor[] = AGENTS,
  defaultId = agents[0]?.id ?? '',
): AgentCatalog {
  const byId = new Map(agents.map((a) => [a.id, a]));
  if (!byId.has(defaultId)) throw new Error(`default agent ${defaultId} is not registered`);
  return { get: (id) => byId.get(id), all: () => agents, defaultId };
}

/** True when the agent accepts a part of this media type (absent = accepted). */
export function acceptsMediaType(agent: AgentDescriptor, mediaType: string | undefined): boolean {
  if (mediaType === undefined || mediaType === '') return true;
  const base = (mediaType.split(';')[0] ?? '').trim().toLowerCase();
  return agent.defaultInputModes.some((m) => {
    const mode = m.toLowerCase();
    return mode === base || mode === '*/*' || (mode.endsWith('/*') && base.startsWith(mode.slice(0, -1)));
  });
}
