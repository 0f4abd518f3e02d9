import { TaskState } from '../../core/a2a/task-state';
import { type Agent, type AgentEvent, textOf } from '../../core/ports/agent';

/** The simplest useful agent: the text comes back as an artifact and a status message. */
export const echoAgent: Agent = {
  id: 'echo',
  async *run({ message }): AsyncIterable<AgentEvent> {
    const text = textOf(message);
    const data = message.parts.find((p) => p.data !== undefined)?.data;
    const reply = text !== '' ? text : JSON.stringify(data ?? null);
    yield {
      kind: 'artifact',
      artifact: { artifactId: 'echo', name: 'echo', parts: [{ text: reply }] },
      lastChunk: true,
    };
    yield { kind: 'status', state: TaskState.Completed, message: [{ text: reply }] };
  },
};
