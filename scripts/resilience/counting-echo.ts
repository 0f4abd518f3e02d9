/**
 * The echo agent, counting its runs per task (a run that a crash or a retry repeats counts
 * again) and optionally slow (a pause before each event), for the resilience scenarios.
 */
import type { Agent, AgentEvent } from '../../core/ports/agent';
import type { AgentRegistry } from '../../workers/agent-worker/worker-deps';
import { echoAgent } from '../../workers/agents/echo';
import { sleep } from '../../workers/agents/sleep';

export function countingEcho(delayMs: number): { agents: AgentRegistry; runs: Map<string, number> } {
  const runs = new Map<string, number>();
  const agent: Agent = {
    id: 'echo',
    async *run(input): AsyncIterable<AgentEvent> {
      runs.set(input.task.id, (runs.get(input.task.id) ?? 0) + 1);
      for await (const event of echoAgent.run(input)) {
        if (delayMs > 0) await sleep(delayMs, input.signal);
        yield event;
      }
    },
  };
  return { agents: new Map([['echo', { kind: 'plain', agent }]]), runs };
}
