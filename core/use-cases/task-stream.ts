/**
 * The streaming core: a task's event log as frames, read from the store (never from process
 * memory), so any gateway instance can serve any task. The TaskWatcher says when to read again:
 * an in-process bus locally, polling in Lambda. Every wait takes the stream's AbortSignal, so a
 * client that goes away releases its watcher and timers at once.
 */
import { isTerminal } from '../a2a/task-state';
import type { RequestContext } from '../context';
import { InvalidParamsError, TaskNotFoundError, UnsupportedOperationError } from '../errors';
import type { StoredEvent, TaskRecord } from '../task-record';
import type { UseCaseDeps } from './deps';
import { framesOf, revealsAnswer, type StreamFrame, snapshotFrame, type TaskIds } from './stream-frames';

export interface TaskStream {
  readonly taskId: string;
  /** The frames in seq order; ends after a final frame, or when `signal` aborts. */
  frames(signal: AbortSignal): AsyncGenerator<StreamFrame, void, undefined>;
}

export interface StreamOptions {
  /** Last-Event-ID: replay exactly the entries after this seq (no snapshot), then continue live */
  afterSeq?: number;
  /** how long a new task's first frame waits to learn whether the agent replies with a Message */
  directReplyWaitMs?: number;
  /** events read per store query */
  pageSize?: number;
  /** longest single wait on the watcher; the log is re-read at least this often */
  waitSliceMs?: number;
}

export type StreamDeps = Pick<UseCaseDeps, 'store' | 'watcher' | 'clock'>;

export const DEFAULT_DIRECT_REPLY_WAIT_MS = 1_500;
const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_WAIT_SLICE_MS = 10_000;

/**
 * Checks a Last-Event-ID against the task: it may not be ahead of the log, and a terminal task
 * whose log was fully delivered has nothing left to stream.
 */
export function resumeAfter(record: TaskRecord, afterSeq: number | undefined): number | undefined {
  if (afterSeq === undefined) return undefined;
  if (afterSeq > record.version) {
    throw new InvalidParamsError(`Last-Event-ID ${afterSeq} is ahead of the event log of task ${record.id}`, [
      {
        field: 'Last-Event-ID',
        description: `must be at most ${record.version}, the task's latest event id`,
      },
    ]);
  }
  if (afterSeq === record.version && isTerminal(record.status.state)) {
    throw new UnsupportedOperationError(
      `Task ${record.id} is ${record.status.state} and every event up to ${afterSeq} was delivered`,
    );
  }
  return afterSeq;
}

/** Entries after `afterSeq`, then live ones as they are appended; ends on a final frame. */
export async function* tailFrames(
  deps: StreamDeps,
  ctx: RequestContext,
  task: TaskIds,
  afterSeq: number,
  signal: AbortSignal,
  o: StreamOptions = {},
): AsyncGenerator<StreamFrame, void, undefined> {
  const pageSize = o.pageSize ?? DEFAULT_PAGE_SIZE;
  let after = afterSeq;
  let waited = false;
  while (!signal.aborted) {
    const events = await deps.store.readEvents(ctx, task.id, after, pageSize);
    for (const stored of events) {
      after = stored.seq;
      for (const frame of framesOf(task, stored)) {
        yield frame;
        if (frame.final) return;
      }
    }
    if (events.length === pageSize) continue;
    // Nothing new after a wait: make sure the task still exists (it may have expired).
    if (events.length === 0 && waited && !(await deps.store.get(ctx, task.id))) {
      throw new TaskNotFoundError(task.id);
    }
    await deps.watcher.waitForChange(ctx, task.id, after, o.waitSliceMs ?? DEFAULT_WAIT_SLICE_MS, signal);
    waited = true;
  }
}

/** The snapshot of the task as it is now, then its log after it. */
export async function* snapshotThenTail(
  deps: StreamDeps,
  ctx: RequestContext,
  record: TaskRecord,
  signal: AbortSignal,
  o: StreamOptions & { historyLength?: number } = {},
): AsyncGenerator<StreamFrame, void, undefined> {
  const first = snapshotFrame(record, o.historyLength);
  yield first;
  if (!first.final) yield* tailFrames(deps, ctx, record, record.version, signal, o);
}

/**
 * A task this call just created: the first frame waits (at most directReplyWaitMs) for the
 * agent's first answer. A direct Message reply becomes the only frame; anything else (or the
 * time running out) starts the task stream with the created task's snapshot.
 */
export async function* newTaskFrames(
  deps: StreamDeps,
  ctx: RequestContext,
  record: TaskRecord,
  signal: AbortSignal,
  o: StreamOptions & { historyLength?: number } = {},
): AsyncGenerator<StreamFrame, void, undefined> {
  const pageSize = o.pageSize ?? DEFAULT_PAGE_SIZE;
  const deadline = deps.clock.now() + (o.directReplyWaitMs ?? DEFAULT_DIRECT_REPLY_WAIT_MS);
  const held: StoredEvent[] = [];
  let after = record.version;
  let answer: StoredEvent | undefined;
  while (!signal.aborted) {
    const events = await deps.store.readEvents(ctx, record.id, after, pageSize);
    for (const stored of events) {
      after = stored.seq;
      if (revealsAnswer(stored)) {
        answer = stored;
        break;
      }
      held.push(stored);
    }
    const remaining = deadline - deps.clock.now();
    if (answer || remaining <= 0) break;
    if (events.length < pageSize) await deps.watcher.waitForChange(ctx, record.id, after, remaining, signal);
  }
  if (signal.aborted) return;
  if (answer?.event.kind === 'message') {
    yield { seq: answer.seq, response: { message: answer.event.message }, final: true };
    return;
  }
  yield snapshotFrame(record, o.historyLength);
  for (const stored of answer ? [...held, answer] : held) {
    for (const frame of framesOf(record, stored)) {
      yield frame;
      if (frame.final) return;
    }
  }
  yield* tailFrames(deps, ctx, record, after, signal, o);
}
