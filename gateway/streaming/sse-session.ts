/**
 * Writes one task stream as Server-Sent Events to a sink (a Node response, a Lambda response
 * stream). Each event is `id: <seq>` + `data: <the frame as the binding wraps it>` (a JSON-RPC
 * response with the request id, or the bare StreamResponse for HTTP+JSON); idle streams get
 * `: ping` comments; a failure after the first event becomes a final `event: error` frame in the
 * binding's error shape. The client going away, the lease being revoked (shutdown) or the
 * maximum duration passing aborts the stream, and every timer, watcher and lease is released.
 */
import type { Logger } from '../../core/ports/logger';
import type { StreamFrame } from '../../core/use-cases/stream-frames';
import type { TaskStream } from '../../core/use-cases/task-stream';
import type { StreamLease } from './stream-limiter';

export interface SseSink {
  /** Resolves once the chunk is handed off (waits while the peer reads slowly). */
  write(chunk: string): Promise<void>;
  end(): void;
  /** aborts when the client goes away */
  readonly gone: AbortSignal;
}

export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
});

export const HEARTBEAT = ': ping\n\n';

/** How a binding wraps each event's result and a mid-stream failure. */
export interface FrameCodec {
  event(result: unknown): unknown;
  /** the error frame's body; `internal` asks for the failure to be logged */
  error(err: unknown): { body: unknown; internal: boolean };
}

export interface SseSessionOptions {
  stream: TaskStream;
  render(frame: StreamFrame): unknown;
  codec: FrameCodec;
  lease: StreamLease;
  heartbeatMs: number;
  maxDurationMs: number;
  log: Logger;
}

export function sseEvent(seq: number, data: unknown): string {
  return `id: ${seq}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class SseSession {
  constructor(private readonly o: SseSessionOptions) {}

  get taskId(): string {
    return this.o.stream.taskId;
  }

  /** Streams until the last frame, an abort or a failure; always ends the sink and releases the lease. */
  async pipe(sink: SseSink): Promise<void> {
    const { o } = this;
    const stop = new AbortController();
    const abort = () => stop.abort();
    for (const s of [sink.gone, o.lease.signal]) {
      if (s.aborted) abort();
      else s.addEventListener('abort', abort, { once: true });
    }
    let timedOut = false;
    const maxTimer =
      o.maxDurationMs > 0
        ? setTimeout(() => {
            timedOut = true;
            abort();
          }, o.maxDurationMs)
        : undefined;
    let ended: 'final' | 'error' | undefined;
    let lastSeq: number | undefined;
    let pending: Promise<void> = Promise.resolve();
    const write = (chunk: string): Promise<void> => {
      pending = pending.then(() => (stop.signal.aborted ? undefined : sink.write(chunk)));
      return pending;
    };
    const heartbeat = setInterval(() => void write(HEARTBEAT).catch(abort), o.heartbeatMs);
    try {
      for await (const frame of o.stream.frames(stop.signal)) {
        await write(sseEvent(frame.seq, o.codec.event(o.render(frame))));
        lastSeq = frame.seq;
        if (frame.final) {
          ended = 'final';
          break;
        }
      }
    } catch (err) {
      if (!stop.signal.aborted) {
        ended = 'error';
        const { body, internal } = o.codec.error(err);
        if (internal) o.log.error({ err, taskId: this.taskId }, 'stream failed');
        await write(`event: error\ndata: ${JSON.stringify(body)}\n\n`).catch(() => undefined);
      }
    } finally {
      const reason = ended ?? abortReason(timedOut, sink.gone.aborted, o.lease.signal.aborted);
      o.log.debug({ taskId: this.taskId, reason, lastSeq }, 'stream closed');
      clearInterval(heartbeat);
      clearTimeout(maxTimer);
      sink.gone.removeEventListener('abort', abort);
      o.lease.signal.removeEventListener('abort', abort);
      stop.abort();
      o.lease.release();
      await pending.catch(() => undefined);
      sink.end();
    }
  }
}

function abortReason(timedOut: boolean, clientGone: boolean, revoked: boolean): string {
  if (timedOut) return 'max-duration';
  if (clientGone) return 'client-gone';
  return revoked ? 'shutdown' : 'ended';
}
