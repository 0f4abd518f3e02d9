/**
 * The offline stand-in for Bedrock in the router: a deterministic chat model that routes by skill
 * tags and keywords (router-routing.ts). It reads the conversation since its last answer:
 * - a question whose agent has not answered yet: a send_message call to that agent (one at a
 *   time, in the order the questions were asked);
 * - every agent answered: the combined answer, one line per agent, streamed word by word;
 * - no agent fits: says so, and names the agents it can reach;
 * - some questions fit no agent: the combined answer names each ("No agent here can answer: …");
 * - a question for an agent the caller may not use (`denied`): no call; the answer says the
 *   caller is not allowed to use that agent.
 * Same input, same output (tool call ids included), so a re-run step reproduces its events.
 */
import type { BaseChatModelParams } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { AgentDescriptor } from '../../../core/agent-catalog';
import { ScriptedChatModel } from '../../graph-runtime/scripted-chunks';
import { planRoutes } from './router-routing';
import { notAllowedAnswer, SEND_MESSAGE } from './router-tools';

export interface DelegationOutcome {
  agent: string;
  state: string;
  answer: string;
}

export class LocalRouterModel extends ScriptedChatModel {
  constructor(
    private readonly agents: readonly AgentDescriptor[],
    /** agents the caller may not use: a question for one is answered with why */
    private readonly denied: readonly AgentDescriptor[] = [],
    params: BaseChatModelParams = {},
  ) {
    super(params);
  }

  _llmType(): string {
    return 'local-router';
  }

  protected decide(messages: readonly BaseMessage[]): AIMessage {
    return decideRoute(messages, this.agents, this.denied);
  }
}

export function decideRoute(
  messages: readonly BaseMessage[],
  agents: readonly AgentDescriptor[],
  denied: readonly AgentDescriptor[] = [],
): AIMessage {
  const turn = sinceLastAnswer(messages);
  const request = turn
    .filter((m) => m.type === 'human')
    .map((m) => m.text)
    .join('\n');
  // planned over every agent, so a question for one the caller may not use is answered with why
  const plan = planRoutes(request, [...agents, ...denied]);
  const isDenied = (id: string) => denied.some((a) => a.id === id);
  const outcomes = turn.filter((m) => m.type === 'tool').map((m) => parseOutcome(m.text));
  const next = plan.steps.find(
    (step) => !isDenied(step.agentId) && !outcomes.some((o) => o?.agent === step.agentId),
  );
  if (next) {
    const calls = messages.filter((m) => m.type === 'ai').length;
    return new AIMessage({
      content: '',
      tool_calls: [
        {
          id: `call-${calls + 1}`,
          name: SEND_MESSAGE,
          args: { agent: next.agentId, task: next.task },
          type: 'tool_call',
        },
      ],
    });
  }
  if (plan.steps.length === 0) {
    return new AIMessage(
      `I could not find an agent for that. I can ask: ${agents.map((a) => `${a.name} (${a.id})`).join(', ')}.`,
    );
  }
  const lines = plan.steps.map((step) => {
    const name = [...agents, ...denied].find((a) => a.id === step.agentId)?.name ?? step.agentId;
    if (isDenied(step.agentId)) return `${name}: I cannot ask it: ${notAllowedAnswer(step.agentId)}.`;
    const o = outcomes.find((x) => x?.agent === step.agentId);
    if (!o) return `${name}: no answer.`;
    return o.state === 'TASK_STATE_COMPLETED'
      ? `${name}: ${o.answer}`
      : `${name} could not answer (${o.state.replace('TASK_STATE_', '').toLowerCase()}): ${o.answer}`;
  });
  for (const question of plan.unrouted)
    lines.push(`No agent here can answer: ${question.replace(/[\s.?!,;:]+$/u, '')}`);
  return new AIMessage(lines.join('\n'));
}

export function parseOutcome(text: string): DelegationOutcome | undefined {
  try {
    const v = JSON.parse(text) as Partial<Record<keyof DelegationOutcome, unknown>>;
    if (typeof v.agent !== 'string') return undefined;
    return {
      agent: v.agent,
      state: typeof v.state === 'string' ? v.state : 'TASK_STATE_FAILED',
      answer: typeof v.answer === 'string' ? v.answer : '',
    };
  } catch {
    return undefined;
  }
}

/** The messages after the last final answer (an AI message without tool calls). */
function sinceLastAnswer(messages: readonly BaseMessage[]): readonly BaseMessage[] {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.type === 'ai' && !(m as AIMessage).tool_calls?.length && m.text !== '')
      return messages.slice(i + 1);
  }
  return messages;
}
