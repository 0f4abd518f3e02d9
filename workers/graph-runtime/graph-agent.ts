/**
 * A LangGraph agent as the worker runs it: a graph compiled per run with the run's checkpointer,
 * how an A2A message becomes graph input (or a resume value for an interrupt), and optional
 * narration of tool calls as WORKING status messages. Its card lives in core/agent-catalog.ts;
 * workers/agents/registry.ts pairs the two.
 */
import type { BaseMessage } from '@langchain/core/messages';
import { HumanMessage } from '@langchain/core/messages';
import type { RunnableConfig } from '@langchain/core/runnables';
import type { BaseCheckpointSaver, StateSnapshot } from '@langchain/langgraph';
import type { Message } from '../../core/a2a/types';
import { textOf } from '../../core/ports/agent';

/** The slice of a compiled graph the runtime uses. */
export interface GraphRunnable {
  stream(input: unknown, options: GraphStreamOptions): Promise<AsyncIterable<unknown>>;
  getState(config: RunnableConfig): Promise<StateSnapshot>;
}

export interface GraphStreamOptions extends RunnableConfig {
  streamMode: ('updates' | 'messages' | 'custom')[];
  durability: 'sync';
}

export interface GraphAgent {
  readonly id: string;
  compile(checkpointer: BaseCheckpointSaver): GraphRunnable;
  /** graph input for a user message that starts a turn */
  input(message: Message): unknown;
  /** the value an interrupt() returns when the user answers it */
  resumeValue(message: Message): unknown;
  /** a WORKING status text for a message a node produced (tool call, tool result), if any */
  narrate?(message: BaseMessage): string | undefined;
  /** name of the artifact the answer text streams into */
  answerName: string;
  recursionLimit?: number;
}

/**
 * Per tenant: the durable checkpointer (DynamoCheckpointer, MemoryCheckpointer); a promise where
 * the checkpointer's module is imported on first use (local mode keeps LangGraph out until then).
 */
export type CheckpointerFactory = (tenant: string) => BaseCheckpointSaver | Promise<BaseCheckpointSaver>;

/** The user message as a HumanMessage whose id is the A2A messageId (a re-sent input replaces it). */
export function humanMessage(message: Message): HumanMessage {
  const text = textOf(message);
  const data = message.parts.find((p) => p.data !== undefined)?.data;
  return new HumanMessage({
    id: message.messageId,
    content: text !== '' ? text : JSON.stringify(data ?? ''),
  });
}

/** The default resume value: the reply's text, or its data part when it has no text. */
export function replyValue(message: Message): unknown {
  const text = textOf(message);
  if (text !== '') return text;
  return message.parts.find((p) => p.data !== undefined)?.data ?? '';
}

/** Adapts a compiled graph (whose generic signatures do not narrow to GraphRunnable) once. */
export function asGraphRunnable(graph: {
  stream(input: never, options?: never): Promise<AsyncIterable<unknown>>;
  getState(config: RunnableConfig): Promise<StateSnapshot>;
}): GraphRunnable {
  return {
    stream: (input, options) =>
      (
        graph.stream as unknown as (i: unknown, o: GraphStreamOptions) => Promise<AsyncIterable<unknown>>
      ).call(graph, input, options),
    getState: (config) => graph.getState(config),
  };
}
