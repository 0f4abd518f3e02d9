/**
 * The one registry of agent implementations: each id of the agent catalog (core/agent-catalog.ts:
 * cards and skills, read by the gateway) paired with what the workers run, a LangGraph graph
 * agent or a plain Agent. Every catalog entry must have one.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AGENTS, type AgentDescriptor } from '../../core/agent-catalog';
import type { Agent } from '../../core/ports/agent';
import type { GraphAgent } from '../graph-runtime/graph-agent';
import { createConformanceAgent } from './conformance';
import { createCurrencyAgent } from './currency/currency-agent';
import { type ExchangeRates, fixtureRates } from './currency/exchange-rates';
import { LocalCurrencyModel } from './currency/local-currency-model';
import { echoAgent } from './echo';

export type AgentImplementation = { kind: 'plain'; agent: Agent } | { kind: 'graph'; agent: GraphAgent };
export type AgentRegistry = ReadonlyMap<string, AgentImplementation>;

export interface AgentRuntimeOptions {
  resubscribeWaitMs: number;
  /** the currency agent's model and rates; offline (local model, fixture rates) by default */
  currency?: { model?: BaseChatModel; rates?: ExchangeRates };
}

export function createAgentRegistry(
  opts: AgentRuntimeOptions,
  catalog: readonly AgentDescriptor[] = AGENTS,
): AgentRegistry {
  const all: Record<string, () => AgentImplementation> = {
    echo: () => ({ kind: 'plain', agent: echoAgent }),
    conformance: () => ({
      kind: 'plain',
      agent: createConformanceAgent({ resubscribeWaitMs: opts.resubscribeWaitMs }),
    }),
    currency: () => ({
      kind: 'graph',
      agent: createCurrencyAgent({
        model: opts.currency?.model ?? new LocalCurrencyModel({}),
        rates: opts.currency?.rates ?? fixtureRates,
      }),
    }),
  };
  return new Map(
    catalog.map((d) => {
      const make = all[d.id];
      if (!make) throw new Error(`agent ${d.id} is in the catalog but has no implementation`);
      return [d.id, make()];
    }),
  );
}
