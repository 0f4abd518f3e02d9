/**
 * `router`: the host pattern from the A2A samples as a tool-calling StateGraph
 *   START -> agent -(tool calls)-> tools -> agent ... -(answer)-> END
 * whose one tool is send_message over the registered agents (local and remote). The model is
 * Bedrock in AWS and LocalRouterModel offline. It runs on the same graph runtime as the currency
 * agent (checkpoints, INPUT_REQUIRED on interrupt, cancel between steps); the graph is compiled
 * per run around a Delegator bound to the router task (router-runner.ts).
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type AIMessage, type BaseMessage, SystemMessage } from '@langchain/core/messages';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import { asGraphRunnable, type GraphAgent, humanMessage, replyValue } from '../../graph-runtime/graph-agent';
import type { Delegator } from './delegator';
import { routerSystemPrompt } from './router-prompt';
import { SEND_MESSAGE, sendMessageTool } from './router-tools';

export interface RouterAgentOptions {
  model: BaseChatModel;
  delegator: Delegator;
}

export function createRouterAgent(o: RouterAgentOptions): GraphAgent {
  const tools = [sendMessageTool(o.delegator)];
  if (!o.model.bindTools) throw new Error('the router needs a tool-calling chat model');
  const model = o.model.bindTools(tools);
  const system = new SystemMessage(routerSystemPrompt(o.delegator.agents));
  const builder = new StateGraph(MessagesAnnotation)
    .addNode('agent', async (state) => ({ messages: [await model.invoke([system, ...state.messages])] }))
    .addNode('tools', new ToolNode(tools, { handleToolErrors: false }))
    .addEdge(START, 'agent')
    .addConditionalEdges('agent', (state) => (lastToolCalls(state.messages) > 0 ? 'tools' : END), [
      'tools',
      END,
    ])
    .addEdge('tools', 'agent');
  const names = new Map(o.delegator.agents.map((a) => [a.id, a.name]));
  return {
    id: 'router',
    answerName: 'answer',
    recursionLimit: 25,
    compile: (checkpointer) => asGraphRunnable(builder.compile({ checkpointer })),
    input: (message) => ({ messages: [humanMessage(message)] }),
    resumeValue: replyValue,
    narrate: (message) => {
      if (message.type !== 'ai') return undefined;
      const asked = ((message as AIMessage).tool_calls ?? [])
        .filter((c) => c.name === SEND_MESSAGE)
        .map((c) => {
          const id = typeof c.args.agent === 'string' ? c.args.agent : '';
          return names.get(id) ?? id;
        });
      return asked.length > 0 ? `Asking ${asked.join(' and ')}...` : undefined;
    },
  };
}

const lastToolCalls = (messages: BaseMessage[]): number =>
  (messages[messages.length - 1] as AIMessage | undefined)?.tool_calls?.length ?? 0;
