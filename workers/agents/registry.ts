/**
 * The one registry of agent implementations: each id of the agent catalog (core/agent-catalog.ts:
 * cards and skills, read by the gateway) paired with what the workers run: a LangGraph graph
 * agent, a plain Agent, or a runner that drives the whole run itself (remote agents forward the
 * task over A2A; the router compiles its graph per run around a delegator bound to the task).
 * Every catalog entry must have one.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AGENTS, type AgentDescriptor, ROUTER_AGENT } from '../../core/agent-catalog';
import type { Agent } from '../../core/ports/agent';
import type { Logger } from '../../core/ports/logger';
import type { RemoteAgentDirectory } from '../../core/ports/remote-agent-client';
import type { TaskRecord } from '../../core/task-record';
import type { RunContext } from '../agent-worker/run-context';
import type { WorkerDeps } from '../agent-worker/run-task';
import type { GraphAgent } from '../graph-runtime/graph-agent';
import { createConformanceAgent } from './conformance';
import { createCurrencyAgent } from './currency/currency-agent';
import { type ExchangeRates, fixtureRates } from './currency/exchange-rates';
import { LocalCurrencyModel } from './currency/local-currency-model';
import { echoAgent } from './echo';
import { createRemoteRunner, type RemoteRunSettings } from './remote/remote-runner';
import { createRouterRunner, type RouterRuntimeOptions } from './router/router-runner';

/** An agent that runs a claimed task itself, with the worker's log, checks and dependencies. */
export interface AgentRunner {
  readonly id: string;
  run(run: RunContext, deps: WorkerDeps): Promise<void>;
  /**
   * A task of this agent was canceled while no run held it (the gateway enqueued a work message
   * at its CANCELED version): undo what lives outside the task log (a remote agent's task).
   */
  afterCancel?(task: TaskRecord, logger: Logger): Promise<void>;
}

export type AgentImplementation =
  | { kind: 'plain'; agent: Agent }
  | { kind: 'graph'; agent: GraphAgent }
  | { kind: 'runner'; agent: AgentRunner };
export type AgentRegistry = ReadonlyMap<string, AgentImplementation>;

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
  const { remote, router } = opts;
  if (router) all[ROUTER_AGENT.id] = () => ({ kind: 'runner', agent: createRouterRunner(router, catalog) });
  return new Map(
    catalog.map((d) => {
      const make =
        all[d.id] ??
        (remote?.directory.has(d.id)
          ? (): AgentImplementation => ({
              kind: 'runner',
              agent: createRemoteRunner(d.id, remote.directory, remote.settings),
            })
          : undefined);
      if (!make) throw new Error(`agent ${d.id} is in the catalog but has no implementation`);
      return [d.id, make()];
    }),
  );
}
