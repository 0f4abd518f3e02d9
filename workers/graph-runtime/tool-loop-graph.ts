/**
 * The graph both LangGraph agents are (the A2A samples' shape), compiled per run with its
 * checkpointer:
 *   START -> agent -(tool calls)-> tools -> agent ... -(answer)-> END
 * Tool errors are not turned into tool messages: they end the run (the worker's failure policy
 * decides), and an interrupt() inside a tool leaves the task INPUT_REQUIRED.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type AIMessage, type BaseMessage, SystemMessage } from '@langchain/core/messages';
import type { StructuredToolInterface } from '@langchain/core/tools';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import { asGraphRunnable, type GraphAgent } from './graph-agent';

export function toolLoopGraph(
  agentId: string,
  chatModel: BaseChatModel,
  tools: StructuredToolInterface[],
  systemPrompt: string,
): GraphAgent['compile'] {
  if (!chatModel.bindTools) throw new Error(`the ${agentId} agent needs a tool-calling chat model`);
  const model = chatModel.bindTools(tools);
  const system = new SystemMessage(systemPrompt);
  const builder = new StateGraph(MessagesAnnotation)
    .addNode('agent', async (state) => ({ messages: [await model.invoke([system, ...state.messages])] }))
    .addNode('tools', new ToolNode(tools, { handleToolErrors: false }))
    .addEdge(START, 'agent')
    .addConditionalEdges('agent', (state) => (lastToolCalls(state.messages) > 0 ? 'tools' : END), [
      'tools',
      END,
    ])
    .addEdge('tools', 'agent');
  return (checkpointer) => asGraphRunnable(builder.compile({ checkpointer }));
}

const lastToolCalls = (messages: BaseMessage[]): number =>
  (messages[messages.length - 1] as AIMessage | undefined)?.tool_calls?.length ?? 0;
