/**
 * `router`: the host pattern from the A2A samples as a tool-calling StateGraph (tool-loop-graph.ts)
 * whose one tool is send_message over the registered agents (local and remote). The model is
 * Bedrock in AWS and LocalRouterModel offline. It runs on the same graph runtime as the currency
 * agent (checkpoints, INPUT_REQUIRED on interrupt, cancel between steps); the graph is compiled
 * per run around a Delegator bound to the router task (router-runner.ts).
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessage } from '@langchain/core/messages';
import { type GraphAgent, humanMessage, replyValue } from '../../graph-runtime/graph-agent';
import { toolLoopGraph } from '../../graph-runtime/tool-loop-graph';
import type { Delegator } from './delegator';
import { routerSystemPrompt } from './router-prompt';
import { SEND_MESSAGE, sendMessageTool } from './router-tools';

export interface RouterAgentOptions {
  model: BaseChatModel;
  delegator: Delegator;
}

export function createRouterAgent(o: RouterAgentOptions): GraphAgent {
  const names = new Map(o.delegator.agents.map((a) => [a.id, a.name]));
  return {
    id: 'router',
    answerName: 'answer',
    recursionLimit: 25,
    compile: toolLoopGraph(
      'router',
      o.model,
      [sendMessageTool(o.delegator)],
      routerSystemPrompt(o.delegator.agents, o.delegator.denied),
    ),
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
