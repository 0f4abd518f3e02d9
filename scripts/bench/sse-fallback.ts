/**
 * A small stand-in for scripts/bench/sse-latency.ts (owned by the streaming work) while that file
 * does not exist: SendStreamingMessage to the echo agent over real HTTP, and for every SSE event
 * after the first snapshot, its arrival time minus the append time (`at`) of the log entry its
 * `id:` names.
 */
import type { BenchStack } from './bench-stack';
import { benchMessage } from './bench-stack';

interface Received {
  seq: number;
  at: number;
  data: string;
}

async function readStream(res: Response): Promise<Received[]> {
  const received: Received[] = [];
  if (!res.body) return received;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true }).replace(/\r\n/g, '\n');
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id:\s*(\d+)$/m.exec(block)?.[1];
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n');
      if (id !== undefined && data !== '') received.push({ seq: Number(id), at: Date.now(), data });
    }
  }
  return received;
}

/** Latencies (ms) of the live events of `tasks` streamed tasks, one stream at a time. */
export async function sseAppendLatencies(b: BenchStack, tasks: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < tasks; i++) {
    const res = await fetch(b.url, {
      method: 'POST',
      headers: { ...b.headers, accept: 'text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: i,
        method: 'SendStreamingMessage',
        params: { message: benchMessage('stream me') },
      }),
    });
    const received = await readStream(res);
    const first = received[0];
    if (!first) throw new Error(`SendStreamingMessage answered HTTP ${res.status} without events`);
    const taskId = (JSON.parse(first.data) as { result?: { task?: { id?: string } } }).result?.task?.id;
    if (!taskId) throw new Error('the first SSE event is not a task snapshot');
    const appended = new Map((await b.events(taskId)).map((e) => [e.seq, Date.parse(e.at)]));
    for (const r of received.slice(1)) {
      const at = appended.get(r.seq);
      if (at !== undefined) latencies.push(r.at - at);
    }
  }
  return latencies;
}
