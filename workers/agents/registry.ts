/**
 * The one registry of agent implementations: each id of the agent catalog (core/agent-catalog.ts:
 * cards and skills, read by the gateway) paired with what the workers run: a LangGraph graph
 * agent, a plain Agent, or a runner that drives the whole run itself (remote agents forward the
 * task over A2A; the router compiles its graph per run around a delegator bound to the task).
 * Every catalog entry must have one. The LangGraph agents (currency, router) are `lazy`: their
 * code, and LangGraph/LangChain with it (~40 MB RSS), is imported when their first task runs.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AGENTS, type AgentDescriptor, ROUTER_AGENT } from '../../core/agent-catalog';
import type { RemoteAgentDirectory } from '../../core/ports/remote-agent-client';
import type { AgentImplementation, AgentRegistry, LazyAgent } from '../agent-worker/worker-deps';
import { createConformanceAgent } from './conformance';
import type { ExchangeRates } from './currency/exchange-rates';
import { echoAgent } from './echo';
import { createRemoteRunner, type RemoteRunSettings } from './remote/remote-runner';
import type { RouterRuntimeOptions } from './router/router-runner';

/** The agent's implementation, loading it if it is lazy; undefined for an unknown agent. */
export async function resolveAgent(
  registry: AgentRegistry,
  agentId: string,
): Promise<AgentImplementation | undefined> {
  const entry = registry.get(agentId);
  return entry?.kind === 'lazy' ? entry.load() : entry;
}

/** Loads once; a failed load is tried again by the next task. */
function lazy(load: () => Promise<AgentImplementation>): LazyAgent {
  let loading: Promise<AgentImplementation> | undefined;
  return {
    kind: 'lazy',
    load: () => {
      loading ??= load().catch((err: unknown) => {
        loading = undefined;
        throw err;
      });
      return loading;
    },
  };
}

export interface AgentRuntimeOptions {
  resubscribeWaitMs: number;
  /** the currency agent's model and rates; offline (local model, fixture rates) by default */
  currency?: { model?: BaseChatModel; rates?: ExchangeRates };
  /** remote A2A agents: every catalog id the directory has is forwarded to it */
  remote?: { directory: RemoteAgentDirectory; settings?: Partial<RemoteRunSettings> };
  /** the routing agent (catalog id `router`); it needs the use cases' queue and watcher */
  router?: RouterRuntimeOptions;
}

export function createAgentRegistry(
  opts: AgentRuntimeOptions,
  catalog: readonly AgentDescriptor[] = AGENTS,
): AgentRegistry {
  const all: Record<string, () => AgentImplementation | LazyAgent> = {
    echo: () => ({ kind: 'plain', agent: echoAgent }),
    conformance: () => ({
      kind: 'plain',
      agent: createConformanceAgent({ resubscribeWaitMs: opts.resubscribeWaitMs }),
    }),
    currency: () =>
      lazy(async () => {
        const [{ createCurrencyAgent }, { LocalCurrencyModel }, { fixtureRates }] = await Promise.all([
          import('./currency/currency-agent'),
          import('./currency/local-currency-model'),
          import('./currency/exchange-rates'),
        ]);
        const model = opts.currency?.model ?? new LocalCurrencyModel({});
        return {
          kind: 'graph',
          agent: createCurrencyAgent({ model, rates: opts.currency?.rates ?? fixtureRates }),
        };
      }),
  };
  const { remote, router } = opts;
  if (router) {
    all[ROUTER_AGENT.id] = () =>
      lazy(async () => {
        const { createRouterRunner } = await import('./router/router-runner');
        return { kind: 'runner', agent: createRouterRunner(router, catalog) };
      });
  }
  return new Map(
    catalog.map((d) => {
      const make =
        all[d.id] ??
        (remote?.directory.has(d.id)
          ? (): AgentImplementation | LazyAgent => ({
              kind: 'runner',
              agent: createRemoteRunner(d.id, remote.directory, remote.settings),
            })
          : undefined);
      if (!make) throw new Error(`agent ${d.id} is in the catalog but has no implementation`);
      return [d.id, make()];
    }),
  );
}
