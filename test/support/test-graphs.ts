/** Small LangGraph agents for runtime tests: a stepping loop with hooks, plugged into a registry. */
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import type { AgentRegistry } from '../../workers/agent-worker/worker-deps';
import { createAgentRegistry } from '../../workers/agents/registry';
import { asGraphRunnable, type GraphAgent, replyValue } from '../../workers/graph-runtime/graph-agent';

const State = Annotation.Root({
  step: Annotation<number>({ reducer: (_, next) => next, default: () => 0 }),
});

export interface SteppingOptions {
  steps: number;
  /** runs inside step `step` (0-based) after its status was written; may wait, throw, ... */
  during?: (step: number, config: LangGraphRunnableConfig) => Promise<void>;
}

/** A graph that loops `steps` times; each step writes a WORKING status "step <n>" (custom stream). */
export function steppingAgent(o: SteppingOptions): GraphAgent {
  const builder = new StateGraph(State)
    .addNode('work', async (state, config) => {
      config.writer?.({ a2a: 'status', text: `step ${state.step}` });
      await o.during?.(state.step, config);
      return { step: state.step + 1 };
    })
    .addEdge(START, 'work')
    .addConditionalEdges('work', (state) => (state.step < o.steps ? 'work' : END), ['work', END]);
  return {
    id: 'currency',
    answerName: 'result',
    compile: (checkpointer) => asGraphRunnable(builder.compile({ checkpointer })),
    input: () => ({ step: 0 }),
    resumeValue: replyValue,
  };
}

/** The default registry with `agent` standing in for the agent of its id. */
export function registryWith(agent: GraphAgent): AgentRegistry {
  return new Map([...createAgentRegistry({ resubscribeWaitMs: 50 }), [agent.id, { kind: 'graph', agent }]]);
}

/** A promise with its resolve function, for gating a step from the test. */
export function gate(): { opened: Promise<void>; open(): void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
