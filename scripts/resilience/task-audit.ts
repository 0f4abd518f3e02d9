/**
 * What the resilience suite checks after a run, from the store without faults:
 * - no task lost (every accepted task exists) or stuck (every one is terminal);
 * - no task run twice in the log: seqs gapless from 1, exactly one SUBMITTED, one WORKING, one
 *   artifact and one terminal status, the terminal one last. The worker may *execute* the agent
 *   again after a crash or a retryable failure (runs > 1 are counted, not refused): the design's
 *   promise is that the log gets each event once (keyed events, task-log.ts) and that WORKING is
 *   appended only by the claim of a SUBMITTED task;
 * - every push event delivered, in order: the receiver's first 2xx answer per (taskId, seq),
 *   in arrival order, equals the task's log.
 */
import { isTerminal, TaskState } from '../../core/a2a/task-state';
import { systemContext } from '../../core/context';
import type { TaskReader } from '../../core/ports/task-records';
import type { StoredEvent } from '../../core/task-record';
import type { Arrival } from '../bench/timing-receiver';

export interface TaskAudit {
  accepted: number;
  completed: number;
  /** terminal, but not COMPLETED (e.g. FAILED by the DLQ consumer) */
  otherTerminal: number;
  lost: string[];
  stuck: string[];
  logProblems: string[];
  /** agent executions per task -> number of tasks */
  runs: Record<string, number>;
  push?: PushAudit;
}

export interface PushAudit {
  expected: number;
  delivered: number;
  /** 2xx answers beyond the first per (taskId, seq): at-least-once delivery */
  duplicates: number;
  problems: string[];
}

function logProblems(taskId: string, events: StoredEvent[]): string[] {
  const problems: string[] = [];
  events.forEach((e, i) => {
    if (e.seq !== i + 1) problems.push(`${taskId}: seq ${e.seq} at position ${i + 1} (gap or duplicate)`);
  });
  const statuses = events.flatMap((e) => (e.event.kind === 'status' ? [e.event.status.state] : []));
  const count = (state: TaskState) => statuses.filter((s) => s === state).length;
  const artifacts = events.filter((e) => e.event.kind === 'artifact').length;
  const terminal = statuses.filter(isTerminal);
  if (count(TaskState.Submitted) !== 1)
    problems.push(`${taskId}: ${count(TaskState.Submitted)} SUBMITTED events`);
  if (count(TaskState.Working) !== 1) problems.push(`${taskId}: ${count(TaskState.Working)} WORKING events`);
  if (terminal.length !== 1) problems.push(`${taskId}: ${terminal.length} terminal events`);
  const last = events[events.length - 1]?.event;
  if (last?.kind !== 'status' || !isTerminal(last.status.state))
    problems.push(`${taskId}: the last event is not terminal`);
  if (terminal[0] === TaskState.Completed && artifacts !== 1)
    problems.push(`${taskId}: ${artifacts} artifact events`);
  return problems;
}

function pushProblems(
  taskId: string,
  events: StoredEvent[],
  arrivals: readonly Arrival[],
): { problems: string[]; delivered: number; duplicates: number } {
  const seen = new Set<number>();
  const order: number[] = [];
  let duplicates = 0;
  for (const a of arrivals) {
    if (a.taskId !== taskId || a.status < 200 || a.status >= 300) continue;
    if (seen.has(a.seq)) duplicates += 1;
    else {
      seen.add(a.seq);
      order.push(a.seq);
    }
  }
  const expected = events.map((e) => e.seq);
  const problems =
    order.join(',') === expected.join(',')
      ? []
      : [`${taskId}: pushes ${order.join(',') || 'none'}, log ${expected.join(',')}`];
  return { problems, delivered: order.length, duplicates };
}

export async function auditTasks(
  store: TaskReader,
  tenant: string,
  taskIds: readonly string[],
  runs: ReadonlyMap<string, number>,
  arrivals?: readonly Arrival[],
): Promise<TaskAudit> {
  const ctx = systemContext(tenant, 'audit');
  const audit: TaskAudit = {
    accepted: taskIds.length,
    completed: 0,
    otherTerminal: 0,
    lost: [],
    stuck: [],
    logProblems: [],
    runs: {},
  };
  const push: PushAudit = { expected: 0, delivered: 0, duplicates: 0, problems: [] };
  const byTask = new Map<string, Arrival[]>();
  for (const a of arrivals ?? []) byTask.set(a.taskId, [...(byTask.get(a.taskId) ?? []), a]);
  for (const taskId of taskIds) {
    const task = await store.get(ctx, taskId);
    if (!task) {
      audit.lost.push(taskId);
      continue;
    }
    const state = task.status.state;
    if (!isTerminal(state)) audit.stuck.push(`${taskId} (${state})`);
    else if (state === TaskState.Completed) audit.completed += 1;
    else audit.otherTerminal += 1;
    const events = await store.readEvents(ctx, taskId, 0);
    audit.logProblems.push(...logProblems(taskId, events));
    const n = String(runs.get(taskId) ?? 0);
    audit.runs[n] = (audit.runs[n] ?? 0) + 1;
    if (arrivals) {
      const p = pushProblems(taskId, events, byTask.get(taskId) ?? []);
      push.expected += events.length;
      push.delivered += p.delivered;
      push.duplicates += p.duplicates;
      push.problems.push(...p.problems);
    }
  }
  if (arrivals) audit.push = push;
  return audit;
}

/** Everything the suite promises, as a list of broken promises (empty: all kept). */
export function auditFailures(a: TaskAudit): string[] {
  const failures: string[] = [];
  if (a.lost.length > 0) failures.push(`${a.lost.length} tasks lost: ${a.lost.slice(0, 5).join(', ')}`);
  if (a.stuck.length > 0) failures.push(`${a.stuck.length} tasks stuck: ${a.stuck.slice(0, 5).join(', ')}`);
  if (a.logProblems.length > 0)
    failures.push(`${a.logProblems.length} log problems: ${a.logProblems.slice(0, 5).join('; ')}`);
  if (a.completed !== a.accepted)
    failures.push(`${a.accepted - a.completed} of ${a.accepted} tasks did not complete`);
  if (a.push && a.push.problems.length > 0) {
    failures.push(
      `${a.push.problems.length} tasks with missing or out-of-order pushes: ${a.push.problems.slice(0, 5).join('; ')}`,
    );
  }
  return failures;
}
