/**
 * The agent worker's contract with what it runs: the dependencies a run gets (WorkerDeps) and
 * the registry of agent implementations it resolves (AgentRegistry). The two refer to each other
 * (a runner is handed the worker's dependencies, which hold the registry), so they share this
 * module; run-task, the registry and the runners all import it, and none imports another for a
 * type.
 */
import type { Agent } from '../../core/ports/agent';
import type { Clock } from '../../core/ports/clock';
import type { Logger } from '../../core/ports/logger';
import type { PushTrigger } from '../../core/ports/push-trigger';
import type { RunLeases } from '../../core/ports/run-control';
import type { TaskRecord } from '../../core/task-record';
import type { UseCaseStore } from '../../core/use-cases/deps';
import type { CheckpointerFactory, GraphAgent } from '../graph-runtime/graph-agent';
import type { HeartbeatSettings } from './heartbeat';
import type { RunContext } from './run-context';

export interface WorkerSettings extends HeartbeatSettings {
  retentionSeconds: number;
}

/**
 * The task store roles a run uses: its lease, and what the gateway's use cases use, since the
 * router agent runs them (SendMessage to the agents it delegates to) inside the worker. Never the
 * reconciler's index or a dispatcher's delivery state.
 */
export type WorkerStore = UseCaseStore & RunLeases;

export interface WorkerDeps {
  store: WorkerStore;
  agents: AgentRegistry;
  checkpointers: CheckpointerFactory;
  clock: Clock;
  logger: Logger;
  settings: WorkerSettings;
  workerId: string;
  /**
   * Re-sent when a redelivered message finds its task already settled: the worker that settled
   * it may have died between its commit and that commit's push trigger.
   */
  push?: PushTrigger;
}

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
/** An implementation whose code is imported on its first task (then kept). */
export interface LazyAgent {
  kind: 'lazy';
  load(): Promise<AgentImplementation>;
}
export type AgentRegistry = ReadonlyMap<string, AgentImplementation | LazyAgent>;
