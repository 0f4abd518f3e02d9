/**
 * Runs a LangGraph agent for one claimed task: decides the input from what is durable
 * (decide-input.ts), streams the graph with the run's checkpointer, maps the stream to keyed A2A
 * events (stream-mapper.ts), and settles the task: INPUT_REQUIRED on an interrupt, otherwise
 * COMPLETED once the graph has nothing left to do. Crash-safe by construction: events are
 * appended before the graph state they came from is persisted (RunCheckpointer), and a re-run's
 * events with keys already in the log are dropped (TaskLog).
 */
import { awaitAllCallbacks } from '@langchain/core/callbacks/promises';
import { type BaseCheckpointSaver, Command } from '@langchain/langgraph';
import { TaskState } from '../../core/a2a/task-state';
import type { RunContext } from '../agent-worker/run-context';
import { PermanentRunError } from '../agent-worker/run-errors';
import { decideInput } from './decide-input';
import type { GraphAgent } from './graph-agent';
import { RunCheckpointer, TURN_METADATA_KEY } from './run-checkpointer';
import { StreamMapper } from './stream-mapper';

const STREAM_MODES: ('updates' | 'messages' | 'custom')[] = ['updates', 'messages', 'custom'];

export async function runGraph(
  run: RunContext,
  agent: GraphAgent,
  durable: BaseCheckpointSaver,
): Promise<void> {
  const task = run.log.task;
  const thread = { configurable: { thread_id: task.id } };
  const latest = await durable.getTuple(thread);
  // The super-step the graph's next chunks belong to: one after the latest stored checkpoint.
  let step = latest ? Number(latest.metadata?.step ?? -1) + 1 : -1;
  // Before LangGraph stores anything: the events so far are in the log, and the run still owns
  // the task (not canceled, not ended, lease not taken over).
  const beforeWrite = async () => {
    await awaitAllCallbacks(); // LangChain may deliver token callbacks in the background
    await new Promise((resolve) => setImmediate(resolve)); // the stream consumer takes what was pushed
    await run.log.idle();
    await run.checkBetweenSteps();
  };
  const graph = agent.compile(
    new RunCheckpointer(durable, {
      turn: run.log.turn,
      beforeWrites: beforeWrite,
      beforePut: beforeWrite,
      afterPut: (stored) => {
        step = stored + 1;
      },
    }),
  );
  const snapshot = latest ? await graph.getState(thread) : undefined;
  const decision = decideInput(
    {
      hasCheckpoint: latest !== undefined,
      stampedTurn: stringOr(latest?.metadata, TURN_METADATA_KEY),
      pending: (snapshot?.tasks ?? []).map((t) => t.name),
      interrupts: (snapshot?.tasks ?? []).flatMap((t) => t.interrupts.map((i) => i.id ?? '')),
      answered: answeredInterrupts(snapshot?.tasks ?? [], latest?.pendingWrites ?? []),
    },
    {
      turn: run.log.turn,
      ranBefore: task.progress !== undefined,
      ...(task.progress?.interrupt === undefined ? {} : { asked: task.progress.interrupt }),
    },
  );
  run.logger.debug({ decision: decision.action, step }, 'graph run');
  if (decision.action === 'lost')
    throw new PermanentRunError("The agent's saved state for this task has expired");

  const mapper = new StreamMapper(
    agent,
    () => step,
    (source, event, extra) => run.log.emit({ step, source }, event, extra),
  );
  if (decision.action !== 'finish') {
    const input =
      decision.action === 'input'
        ? agent.input(run.message)
        : decision.action === 'resume'
          ? new Command({ resume: { [decision.interruptId]: agent.resumeValue(run.message) } })
          : null;
    const stream = await graph.stream(input, {
      ...thread,
      streamMode: STREAM_MODES,
      durability: 'sync',
      signal: run.signal,
      recursionLimit: agent.recursionLimit ?? 50,
    });
    for await (const chunk of stream) mapper.accept(chunk);
    mapper.end();
  }
  await run.log.idle();
  if (mapper.interrupted) return;

  const final = await graph.getState(thread);
  if (final.tasks.length > 0) throw new PermanentRunError('The agent stopped before it finished');
  await run.checkBetweenSteps();
  run.log.emit({ step, source: 'final' }, { kind: 'status', state: TaskState.Completed });
  await run.log.idle();
}

/** Per interrupt id, how many answers its task has stored (the length of its resume list). */
function answeredInterrupts(
  tasks: readonly { id: string; interrupts: readonly { id?: string }[] }[],
  writes: readonly (readonly [string, string, unknown])[],
): Record<string, number> {
  const answered: Record<string, number> = {};
  for (const t of tasks) {
    const resumes = writes.filter(([taskId, channel]) => taskId === t.id && channel === '__resume__');
    const count = Math.max(0, ...resumes.map(([, , value]) => (Array.isArray(value) ? value.length : 1)));
    for (const i of t.interrupts) if (i.id) answered[i.id] = Math.max(answered[i.id] ?? 0, count);
  }
  return answered;
}

function stringOr(record: object | undefined, key: string): string | undefined {
  const value = (record as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' ? value : undefined;
}
