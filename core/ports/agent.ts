/**
 * Agent: what a worker runs for a task. It yields A2A events (status, artifact, or a direct
 * message); the worker stamps ids and timestamps, appends each to the event log in order, and
 * checks for cancellation between them. The last event must settle the task (terminal or
 * interrupted); an agent that just stops ends the task FAILED.
 */

import type { TaskState } from '../a2a/task-state';
import type { Artifact, Message, Part, Task } from '../a2a/types';

export type AgentEvent =
  | { kind: 'status'; state: TaskState; message?: Part[] }
  | { kind: 'artifact'; artifact: Artifact; append?: boolean; lastChunk?: boolean }
  | { kind: 'message'; parts: Part[] };

export interface AgentRunInput {
  task: Task;
  /** the user message that (re)started this run: the newest user message in the history */
  message: Message;
  /** aborted when the task is canceled or the worker loses its lease */
  signal: AbortSignal;
}

export interface Agent {
  readonly id: string;
  run(input: AgentRunInput): AsyncIterable<AgentEvent>;
}

export const textOf = (message: Message): string =>
  message.parts
    .map((p) => p.text)
    .filter((t): t is string => typeof t === 'string')
    .join('\n');
