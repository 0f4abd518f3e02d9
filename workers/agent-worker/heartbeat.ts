/**
 * Keeps a claimed run alive and watched. Every beat it reads the task and aborts the run when the
 * task is canceled, ended elsewhere, or leased by another worker; it renews the lease once half of
 * it is used up (a renewal rewrites the task item, so it is not done every beat), and extends the work message's visibility every third of the queue's
 * visibility timeout, so SQS does not hand the message to another worker while this one runs.
 */
import { isTerminal } from '../../core/a2a/task-state';
import type { RequestContext } from '../../core/context';
import type { Clock } from '../../core/ports/clock';
import type { Logger } from '../../core/ports/logger';
import type { RunLeases } from '../../core/ports/run-control';
import type { TaskReader } from '../../core/ports/task-records';

/** Extends the visibility timeout of the message being processed (SQS ChangeMessageVisibility). */
export interface VisibilityExtender {
  extend(seconds: number): Promise<void>;
}

export type StopReason = 'canceled' | 'lease-lost' | 'task-ended';

/**
 * How long a read of the task (the claim's, a beat's or a step check's) counts as fresh: a step
 * check that follows such a read, with no commit by the run in between, does not read again.
 */
export const FRESH_READ_MS = 1_000;

export interface HeartbeatSettings {
  leaseMs: number;
  heartbeatMs: number;
  /** the work queue's visibility timeout; the message is extended by this every third of it */
  visibilityTimeoutSeconds: number;
}

export class Heartbeat {
  readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private lastExtended: number;
  private leaseUntil: number;
  private beating = false;
  /** when the task was last read (the claim counts): see FRESH_READ_MS */
  private seenAt: number;
  reason: StopReason | undefined;

  constructor(
    private readonly deps: {
      store: Pick<TaskReader, 'get'> & Pick<RunLeases, 'renewLease'>;
      clock: Clock;
      logger: Logger;
      settings: HeartbeatSettings;
    },
    private readonly ctx: RequestContext,
    private readonly taskId: string,
    private readonly owner: string,
    private readonly visibility?: VisibilityExtender,
  ) {
    this.lastExtended = deps.clock.now();
    this.leaseUntil = deps.clock.now() + deps.settings.leaseMs;
    this.seenAt = deps.clock.now();
  }

  /** Whether the last read of the task (see FRESH_READ_MS) is older than FRESH_READ_MS. */
  get stale(): boolean {
    return this.deps.clock.now() - this.seenAt >= FRESH_READ_MS;
  }

  /** The run read the task (a step check). */
  seen(): void {
    this.seenAt = this.deps.clock.now();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  start(): void {
    this.timer = setInterval(() => void this.beat(), this.deps.settings.heartbeatMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Aborts the run; the first reason wins. */
  halt(reason: StopReason): void {
    this.reason ??= reason;
    this.controller.abort(new Error(`run stopped: ${reason}`));
  }

  private async beat(): Promise<void> {
    if (this.beating || this.controller.signal.aborted) return;
    this.beating = true;
    try {
      const { store, clock, settings } = this.deps;
      const latest = await store.get(this.ctx, this.taskId);
      this.seen();
      if (!latest || isTerminal(latest.status.state)) return this.halt('task-ended');
      if (latest.cancelRequested) return this.halt('canceled');
      if (latest.lease?.owner !== this.owner) return this.halt('lease-lost');
      const now = clock.now();
      if (this.leaseUntil - now < settings.leaseMs / 2) {
        const until = now + settings.leaseMs;
        if (!(await store.renewLease(this.ctx, this.taskId, { owner: this.owner, until }))) {
          return this.halt('lease-lost');
        }
        this.leaseUntil = until;
      }
      if (this.visibility && now - this.lastExtended >= (settings.visibilityTimeoutSeconds * 1000) / 3) {
        await this.visibility.extend(settings.visibilityTimeoutSeconds);
        this.lastExtended = now;
      }
    } catch (err) {
      this.deps.logger.warn({ err }, 'heartbeat failed');
    } finally {
      this.beating = false;
    }
  }
}
