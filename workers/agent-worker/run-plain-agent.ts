/**
 * Runs a plain Agent (core/ports/agent.ts: echo, conformance) through the same log as graphs.
 * Its events are keyed by the turn (the task version when the turn's first run started, kept in
 * the cursor) and their order, so a retried turn appends only what the crashed run had not.
 * Cancellation and the lease are checked between events; the last event must settle the task.
 */
import type { Agent } from '../../core/ports/agent';
import { toTask } from '../../core/task-record';
import type { RunContext } from './run-context';
import { PermanentRunError } from './run-errors';
import { isSettlingEvent } from './task-log';

export async function runPlainAgent(run: RunContext, agent: Agent): Promise<void> {
  const { log } = run;
  const cursor = log.task.progress;
  const step = cursor !== undefined && cursor.turn === log.turn ? cursor.step : log.task.version;
  const events = agent.run({ task: toTask(log.task), message: run.message, signal: run.signal });
  for await (const event of events) {
    await run.checkBetweenSteps();
    log.emit({ step, source: 'agent' }, event);
    if (isSettlingEvent(event)) {
      await log.idle();
      return;
    }
  }
  await log.idle();
  await run.checkBetweenSteps();
  throw new PermanentRunError('The agent finished without a final state');
}
