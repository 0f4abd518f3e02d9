/**
 * The run's writer of the task's event log. Events are appended in order at the next seq, each
 * commit a version-conditional transaction (several queued events go in one).
 *
 * Keyed events make a re-run idempotent: a key is (step, source, ordinal) - the ordinal counts
 * this run's events per (step, source) - and every commit records, in the task itself
 * (TaskRecord.progress), how many events of the current step each source has appended. A re-run
 * that produces the same keys (a resumed graph step, a retried plain agent) has the ones already
 * in the log dropped here, so the log gets each event once, without gaps. Unkeyed events (WORKING
 * at the start, FAILED, CANCELED) are idempotent through the task state instead.
 *
 * A run's WORKING can be led (`lead`): it goes into the commit of the agent's first events instead
 * of a transaction of its own, or alone once `flushAfterMs` passed without one, so a slow agent
 * still shows WORKING soon after its claim.
 */
import { createHash, randomUUID } from 'node:crypto';
import { isTerminal, TaskState } from '../../core/a2a/task-state';
import type { Message, TaskStatus } from '../../core/a2a/types';
import type { RequestContext } from '../../core/context';
import { RetryableError } from '../../core/errors';
import type { AgentEvent } from '../../core/ports/agent';
import { type Clock, isoAt } from '../../core/ports/clock';
import type { TaskReader, TaskWriter } from '../../core/ports/task-records';
import { applyEvents, type RunCursor, type TaskEvent, type TaskRecord } from '../../core/task-record';
import { tryRunCommit } from './run-commit';

export interface LogKey {
  step: number;
  source: string;
}

export interface TaskLogDeps {
  store: Pick<TaskReader, 'get'> & Pick<TaskWriter, 'commit'>;
  clock: Clock;
  settings: { retentionSeconds: number };
}

interface Pending {
  key: LogKey & { ordinal: number };
  event: AgentEvent;
  interruptId?: string;
}

type StatusEvent = Extract<AgentEvent, { kind: 'status' }>;
type Entry = { key?: Pending['key']; event: AgentEvent; interruptId?: string };

const MAX_BATCH = 20;
const MAX_CONFLICTS = 5;

export class TaskLog {
  private pending: Pending[] = [];
  /** unkeyed status events that go first into the next commit (see lead) */
  private leading: StatusEvent[] = [];
  private leadTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly ordinals = new Map<string, number>();
  private flushing: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly deps: TaskLogDeps,
    private readonly ctx: RequestContext,
    private current: TaskRecord,
    /** messageId of the user message this run answers */
    readonly turn: string,
  ) {}

  get task(): TaskRecord {
    return this.current;
  }

  /** Queues an event under the next ordinal of its (step, source); commits in the background. */
  emit(key: LogKey, event: AgentEvent, extra: { interruptId?: string } = {}): void {
    if (this.failure) return;
    const id = `${key.step}|${key.source}`;
    const ordinal = this.ordinals.get(id) ?? 0;
    this.ordinals.set(id, ordinal + 1);
    const pending: Pending = { key: { ...key, ordinal }, event };
    if (extra.interruptId !== undefined) pending.interruptId = extra.interruptId;
    this.pending.push(pending);
    this.flushing ??= this.drain();
  }

  /** Resolves once every queued event is committed; rejects with the first commit failure. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.failure) throw this.failure.error;
  }

  /**
   * Queues an unkeyed status event (WORKING at the start of a run) for the next commit: the one of
   * the agent's first events, or its own once `flushAfterMs` passed without any. A state the task
   * is already in is dropped (unkeyed events are idempotent through the task state).
   */
  lead(event: StatusEvent, flushAfterMs: number): void {
    if (this.failure) return;
    this.leading.push(event);
    clearTimeout(this.leadTimer);
    this.leadTimer = setTimeout(() => {
      this.leadTimer = undefined;
      if (this.leading.length > 0) this.flushing ??= this.drain();
    }, flushAfterMs);
    this.leadTimer.unref?.();
  }

  /** Drops led events not committed yet (the run is over: a later commit must not carry them). */
  discardLead(): void {
    clearTimeout(this.leadTimer);
    this.leadTimer = undefined;
    this.leading = [];
  }

  /** Appends unkeyed events now, after the queued ones. */
  async append(events: AgentEvent[]): Promise<void> {
    await this.idle();
    await this.commit(events.map((event) => ({ event })));
  }

  /** A status event (unkeyed), e.g. WORKING at the start or FAILED at the end. */
  status(state: TaskState, text?: string): StatusEvent {
    return text === undefined ? { kind: 'status', state } : { kind: 'status', state, message: [{ text }] };
  }

  private async drain(): Promise<void> {
    try {
      // Events the agent emits in the same turn of the event loop (an agent that answers at once:
      // its artifact and its final status) share one commit: one transaction, one index move and
      // one push trigger instead of one per event.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.pending.length > 0 || this.leading.length > 0)
        await this.commit(this.pending.splice(0, MAX_BATCH));
    } catch (error) {
      this.failure = { error };
      this.pending = [];
      this.discardLead();
    } finally {
      this.flushing = undefined;
    }
  }

  /** Commits the events that are not in the log yet; on a version conflict re-reads and retries. */
  private async commit(batch: Entry[]): Promise<void> {
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const state = this.current.status.state;
      const lead = this.leading.filter((event) => event.state !== state).map((event) => ({ event }));
      const fresh: Entry[] = [
        ...lead,
        ...batch.filter((p) => p.key === undefined || !covered(this.current.progress, p.key)),
      ];
      if (fresh.length === 0) {
        this.discardLead();
        return;
      }
      let progress = this.current.progress;
      for (const p of fresh) if (p.key) progress = advance(progress, p.key, this.turn, p.interruptId);
      const now = this.deps.clock.now();
      const events = fresh.map((p) => this.toTaskEvent(p.event, now, p.key));
      const { next, stored } = applyEvents(this.current, events, isoAt(now));
      if (progress !== undefined) next.progress = progress;
      if (isTerminal(next.status.state))
        next.expiresAt = Math.floor(now / 1000) + this.deps.settings.retentionSeconds;
      const tried = await tryRunCommit(this.deps.store, this.ctx, this.current, next, stored);
      this.current = tried.task;
      if (tried.committed) {
        this.discardLead();
        return;
      }
    }
    throw new RetryableError(`Task ${this.current.id}: too many concurrent writers`);
  }

  private toTaskEvent(out: AgentEvent, now: number, key?: Pending['key']): TaskEvent {
    const message = (parts: Message['parts']): Message => ({
      messageId: key ? this.keyedId(key) : randomUUID(),
      role: 'ROLE_AGENT',
      parts,
      taskId: this.current.id,
      contextId: this.current.contextId,
    });
    switch (out.kind) {
      case 'status': {
        const status: TaskStatus = { state: out.state, timestamp: isoAt(now) };
        if (out.message) status.message = message(out.message);
        return { kind: 'status', status };
      }
      case 'artifact': {
        const e: TaskEvent = { kind: 'artifact', artifact: out.artifact };
        if (out.append !== undefined) e.append = out.append;
        if (out.lastChunk !== undefined) e.lastChunk = out.lastChunk;
        return e;
      }
      case 'message':
        return { kind: 'message', message: message(out.parts) };
    }
  }

  /** The same key always gives the same message id, so a re-produced event is recognisable. */
  private keyedId(key: Pending['key']): string {
    const h = createHash('sha256')
      .update(`${this.current.id}\u0000${key.step}\u0000${key.source}\u0000${key.ordinal}`)
      .digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

/** true when the log already holds the event with this key */
export function covered(cursor: RunCursor | undefined, key: Pending['key']): boolean {
  if (cursor === undefined) return false;
  if (key.step !== cursor.step) return key.step < cursor.step;
  return key.ordinal < (cursor.counts[key.source] ?? 0);
}

export function advance(
  cursor: RunCursor | undefined,
  key: Pending['key'],
  turn: string,
  interruptId?: string,
): RunCursor {
  const next: RunCursor =
    cursor === undefined || key.step > cursor.step
      ? { turn, step: key.step, counts: {} }
      : { ...cursor, turn, counts: { ...cursor.counts } };
  if (cursor?.interrupt !== undefined) next.interrupt = cursor.interrupt;
  if (interruptId !== undefined) {
    const asks = cursor?.interrupt?.id === interruptId ? cursor.interrupt.asks + 1 : 1;
    next.interrupt = { id: interruptId, turn, asks };
  }
  next.counts[key.source] = Math.max(next.counts[key.source] ?? 0, key.ordinal + 1);
  return next;
}

export const isSettlingEvent = (e: AgentEvent): boolean =>
  e.kind === 'message' ||
  (e.kind === 'status' &&
    (isTerminal(e.state) || e.state === TaskState.InputRequired || e.state === TaskState.AuthRequired));
