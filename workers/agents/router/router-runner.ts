/**
 * Runs the router for one claimed task: builds the use-case deps its delegations go through (the
 * worker's store, the work queue, a task watcher), a Delegator bound to this task, its tenant and
 * its submitter's rights, and the router graph around it (offering only the agents the submitter
 * may use), then hands the run to the graph runtime.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type AgentDescriptor, createAgentCatalog, ROUTER_AGENT } from '../../../core/agent-catalog';
import { randomIds } from '../../../core/ports/clock';
import type { TaskWatcher } from '../../../core/ports/task-watcher';
import type { QueueSender } from '../../../core/ports/work-queue';
import type { UseCaseDeps } from '../../../core/use-cases/deps';
import type { AgentRunner } from '../../agent-worker/worker-deps';
import { runGraph } from '../../graph-runtime/run-graph';
import { createDelegator } from './delegator';
import { LocalRouterModel } from './local-router-model';
import { createRouterAgent } from './router-agent';

export interface RouterRuntimeOptions {
  /** the work queue sub-tasks go on */
  queue: QueueSender;
  /** wakes the router when a sub-task changes (in-process bus locally, polling in Lambda) */
  watcher: TaskWatcher;
  /** Bedrock in AWS; the deterministic LocalRouterModel when absent */
  model?: BaseChatModel;
  /** how long one delegation waits for its sub-task to settle (default 10 min) */
  subtaskTimeoutMs?: number;
  /** the agent ids it may delegate to; every other agent when absent */
  agents?: readonly string[];
}

export function createRouterRunner(
  o: RouterRuntimeOptions,
  catalog: readonly AgentDescriptor[],
): AgentRunner {
  const targets = catalog.filter((a) => a.id !== ROUTER_AGENT.id && (o.agents?.includes(a.id) ?? true));
  const agents = createAgentCatalog(catalog, catalog[0]?.id);
  return {
    id: ROUTER_AGENT.id,
    async run(run, deps) {
      const useCases: UseCaseDeps = {
        store: deps.store,
        queue: o.queue,
        watcher: o.watcher,
        clock: deps.clock,
        ids: randomIds,
        agents,
        webhookUrls: {
          assertAllowed: async () => {
            throw new Error('the router registers no webhooks');
          },
        },
        logger: run.logger,
        settings: {
          blockingTimeoutMs: 0,
          cancelWaitMs: 0,
          retentionSeconds: deps.settings.retentionSeconds,
          pushNotifications: false,
        },
      };
      const delegator = createDelegator({
        useCases,
        parent: run.log.task,
        ctx: run.ctx,
        agents: targets,
        timeoutMs: o.subtaskTimeoutMs ?? 600_000,
        timeLeftMs: run.timeLeftMs,
      });
      // the offline model plans over what this caller may use (and names what it may not)
      const model = o.model ?? new LocalRouterModel(delegator.agents, delegator.denied);
      const agent = createRouterAgent({ model, delegator });
      await runGraph(run, agent, await deps.checkpointers(run.ctx.principal.tenant));
    },
  };
}
