/**
 * The router's one tool, `send_message(agent, task)` (the A2A samples' host-agent tool): it starts
 * a sub-task on the agent, records the link as a `delegation` artifact on the router task, waits
 * for the sub-task to settle, and returns its outcome as JSON `{agent, taskId, state, answer}`.
 * A sub-task that asks for input (INPUT_REQUIRED) pauses the router with interrupt(): the router
 * task asks the user the agent's question, and the user's reply is sent to the sub-task. A re-run
 * of the step (resume, redelivery) sends nothing twice: message ids derive from the tool call.
 * An agent the caller may not use (its token's `agent:<id>` scopes) gets no sub-task: the tool
 * answers that the caller is not allowed to use it (and SendMessage itself refuses, too).
 */
import { type ToolRunnableConfig, tool } from '@langchain/core/tools';
import { interrupt, type LangGraphRunnableConfig } from '@langchain/langgraph';
import { z } from 'zod';
import { isInterrupted, TaskState } from '../../../core/a2a/task-state';
import type { Part } from '../../../core/a2a/types';
import { A2AError, PermissionDeniedError } from '../../../core/errors';
import { sanitizeText } from '../../../core/remote-card';
import type { TaskRecord } from '../../../core/task-record';
import type { Delegator } from './delegator';

export const SEND_MESSAGE = 'send_message';
/** an answer handed to the model is capped (it is another agent's text: data, not instructions) */
const MAX_ANSWER_CHARS = 4000;

export function sendMessageTool(delegator: Delegator) {
  const ids = delegator.agents.map((a) => a.id);
  return tool(
    async ({ agent, task }, config: LangGraphRunnableConfig & ToolRunnableConfig) => {
      const target = delegator.agents.find((a) => a.id === agent);
      if (delegator.denied.some((a) => a.id === agent)) return notAllowed(agent);
      if (!target)
        return JSON.stringify({
          agent,
          state: TaskState.Rejected,
          answer: `No agent ${agent}; use one of: ${ids.join(', ')}`,
        });
      const key = config.toolCall?.id ?? `${agent}\u0000${task}`;
      let record: TaskRecord;
      try {
        record = await delegator.start(agent, task, key);
      } catch (err) {
        if (err instanceof PermissionDeniedError) return notAllowed(agent);
        if (err instanceof A2AError)
          return JSON.stringify({ agent, state: TaskState.Rejected, answer: err.message });
        throw err;
      }
      config.writer?.({
        a2a: 'artifact',
        artifactId: `delegation-${record.id}`,
        name: 'delegation',
        data: { agentId: agent, taskId: record.id, contextId: record.contextId },
      });
      for (let asked = 0; ; asked++) {
        record = await delegator.settle(record, config.signal);
        if (!isInterrupted(record.status.state)) break;
        const question = textOf(record.status.message?.parts) || `${target.name} needs more input.`;
        const reply: unknown = interrupt({
          question: `${target.name} asks: ${question}`,
          agentId: agent,
          taskId: record.id,
        });
        record = await delegator.reply(
          record,
          typeof reply === 'string' ? reply : JSON.stringify(reply),
          `${key}\u0000${asked}`,
        );
      }
      return JSON.stringify({
        agent,
        taskId: record.id,
        state: record.status.state,
        answer: answerOf(record),
      });
    },
    {
      name: SEND_MESSAGE,
      description:
        'Send a task to one agent behind this gateway and wait for its answer. `agent` is the id of an agent from the list; `task` is a self-contained request for it.',
      schema: z.object({
        agent: z.string().describe('the id of the agent, from the agent list'),
        task: z.string().min(1).describe('a self-contained request for that agent'),
      }),
    },
  );
}

/** The outcome of a delegation the caller's token does not allow (no sub-task is created). */
export const notAllowedAnswer = (agentId: string): string => `you are not allowed to use agent ${agentId}`;

const notAllowed = (agent: string): string =>
  JSON.stringify({ agent, state: TaskState.Rejected, answer: notAllowedAnswer(agent) });

/** What the sub-task answered: its artifacts' text, else its direct reply or status message. */
export function answerOf(record: TaskRecord): string {
  const fromArtifacts = record.artifacts
    .map((a) => textOf(a.parts))
    .filter((t) => t !== '')
    .join('\n');
  const text =
    fromArtifacts ||
    textOf(record.directReply?.parts) ||
    textOf(record.status.message?.parts) ||
    (record.status.state === TaskState.Completed ? 'done' : 'no answer');
  return sanitizeText(text, MAX_ANSWER_CHARS);
}

/** The parts' text; their data only when they have no text. */
function textOf(parts: readonly Part[] | undefined): string {
  const list = parts ?? [];
  const texts = list.map((p) => p.text ?? '').filter((t) => t !== '');
  if (texts.length > 0) return texts.join(' ');
  return list
    .filter((p) => p.data !== undefined)
    .map((p) => JSON.stringify(p.data))
    .join(' ');
}
