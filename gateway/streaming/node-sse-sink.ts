/** An SseSink over a Node HTTP response (fastify's reply.raw after hijack). */
import type { ServerResponse } from 'node:http';
import { SSE_HEADERS, type SseSink } from './sse-session';

export function nodeSseSink(res: ServerResponse, extraHeaders: Record<string, string> = {}): SseSink {
  const gone = new AbortController();
  res.on('close', () => gone.abort());
  // The client may have left while the use case ran, before 'close' had a listener.
  if (res.destroyed || !res.socket || res.socket.destroyed) gone.abort();
  else {
    res.writeHead(200, { ...SSE_HEADERS, connection: 'keep-alive', ...extraHeaders });
    res.flushHeaders();
  }
  return {
    gone: gone.signal,
    write(chunk) {
      if (res.destroyed || res.writableEnded) return Promise.resolve();
      if (res.write(chunk)) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    },
    end() {
      if (!res.writableEnded) res.end();
    },
  };
}
