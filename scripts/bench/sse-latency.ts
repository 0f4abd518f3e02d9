/**
 * SSE benchmark for `npm run bench` (section 3 calls `run({ quick })`):
 * 1. append -> arrival: an event is appended to a task's log the way a worker appends it, and the
 *    time until a SubscribeToTask client on loopback has parsed it (one event in flight at a time;
 *    p50/p99), with the in-process change bus (local mode) and with store polling (Lambda mode);
 * 2. idle streams: how many open streams one process holds and their memory and CPU
 *    (sse-idle-streams.ts). Bounded loop counts; figures are printed, never asserted.
 */
import { TaskState } from '../../core/a2a/task-state';
import type { TaskEvent } from '../../core/task-record';
import { type BenchOptions, type BenchRow, percentile, round } from './bench-types';
import { startSseBenchGateway, subscribeBody } from './sse-bench-gateway';
import { idleStreams } from './sse-idle-streams';

const SECTION = 'SSE streaming';

/** Latencies (ms) of `events` appends, each measured to its arrival at one subscriber. */
export async function appendToArrival(watcher: 'bus' | 'polling', events: number): Promise<number[]> {
  const gateway = await startSseBenchGateway({ watcher, maxStreams: 10 });
  try {
    let task = await gateway.createTask();
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'a2a-version': '1.0',
        authorization: `Bearer ${gateway.token}`,
      },
      body: subscribeBody(task.id),
    });
    if (!res.body || res.status !== 200)
      throw new Error(`SubscribeToTask answered HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    /** Reads until the event with this id has arrived. */
    const arrival = async (seq: number): Promise<number> => {
      for (;;) {
        const m = new RegExp(`(^|\\n)id: ${seq}\\n[^\\n]*\\n\\n`).exec(buffer);
        if (m) {
          buffer = buffer.slice(m.index + m[0].length);
          return performance.now();
        }
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before event ${seq}`);
        buffer += decoder.decode(value, { stream: true });
      }
    };
    await arrival(1);
    const working: TaskEvent = { kind: 'status', status: { state: TaskState.Working } };
    const latencies: number[] = [];
    for (let i = 0; i < events; i++) {
      const t0 = performance.now();
      task = await gateway.append(task, [working]);
      latencies.push((await arrival(task.version)) - t0);
    }
    task = await gateway.append(task, [{ kind: 'status', status: { state: TaskState.Completed } }]);
    await arrival(task.version);
    await reader.cancel().catch(() => undefined);
    return latencies;
  } finally {
    await gateway.close();
  }
}

export async function run(o: BenchOptions): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const rows: BenchRow[] = [];
  const latencyRows = (label: string, samples: number[], note: string) => {
    rows.push(
      {
        section: SECTION,
        metric: `append → SSE arrival p50 (${label})`,
        value: round(percentile(samples, 50), 2),
        unit: 'ms',
        note,
      },
      {
        section: SECTION,
        metric: `append → SSE arrival p99 (${label})`,
        value: round(percentile(samples, 99), 2),
        unit: 'ms',
        note: `${samples.length} events`,
      },
    );
  };
  latencyRows(
    'bus',
    await appendToArrival('bus', o.quick ? 200 : 1_000),
    'local mode: in-process change bus',
  );
  latencyRows(
    'polling',
    await appendToArrival('polling', o.quick ? 40 : 200),
    'Lambda mode: store polling 25→500 ms',
  );

  const idle = await idleStreams(o.quick ? 500 : 2_000);
  rows.push(
    {
      section: SECTION,
      metric: 'idle SSE streams held by one process',
      value: idle.streams,
      unit: '',
      note: `opened in ${round(idle.openSeconds, 1)} s; all released: ${idle.released}`,
    },
    {
      section: SECTION,
      metric: 'heap per idle stream',
      value: round(idle.heapPerStreamBytes / 1024, 1),
      unit: 'KiB',
    },
    {
      section: SECTION,
      metric: 'RSS per idle stream',
      value: round(idle.rssPerStreamBytes / 1024, 1),
      unit: 'KiB',
    },
    {
      section: SECTION,
      metric: 'CPU while all streams idle',
      value: round(idle.idleCpuPercent, 1),
      unit: '% core',
      note: 'heartbeat 15 s; the bus watcher re-reads the store every 500 ms',
    },
  );
  const notes = [
    'SSE: the latency is measured from the start of the append (a store commit, as a worker makes it) to the moment a SubscribeToTask client on loopback has the whole event; one event is in flight at a time. The bus figure is the local stack; the polling figure is what a Lambda instance sees (the watcher polls the store from 25 ms, doubling to 500 ms).',
    'SSE idle streams: the server is a separate Node process (memory store, change bus) so its heap and RSS are its own; the per-stream figures are the growth after every stream received its snapshot, divided by the stream count. Idle CPU comes from the watcher safety poll (one store read per stream every 500 ms) and heartbeats.',
  ];
  for (const r of rows) console.log(`${r.metric}: ${r.value} ${r.unit}${r.note ? ` (${r.note})` : ''}`);
  return { rows, notes };
}
