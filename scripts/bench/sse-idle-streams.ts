/**
 * How many idle SSE streams one gateway process holds, and what each costs: the server runs in a
 * child process (scripts/bench/sse-stream-server.ts) so its memory is its own; this side opens
 * `count` SubscribeToTask streams on loopback with plain http clients, waits for every snapshot,
 * reads the child's heap/RSS and CPU while the streams sit idle, then drops them all and checks
 * that every watcher was released.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, type ClientRequest, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { subscribeBody } from './sse-bench-gateway';

interface ChildStats {
  heapUsed: number;
  rss: number;
  cpuUs: number;
  watchers: number;
}

export interface IdleStreamsResult {
  streams: number;
  openSeconds: number;
  heapPerStreamBytes: number;
  rssPerStreamBytes: number;
  /** CPU of the server process while every stream is idle, % of one core */
  idleCpuPercent: number;
  /** every watcher was released after the clients went away */
  released: boolean;
}

const SERVER = fileURLToPath(new URL('./sse-stream-server.ts', import.meta.url));
const BATCH = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function childLines(child: ChildProcess) {
  const waiters: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> }).on('line', (line) =>
    waiters.shift()?.(line),
  );
  return (prefix: string, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${prefix.trim()} from the stream server`)),
        timeoutMs,
      );
      waiters.push((line) => {
        clearTimeout(timer);
        return line.startsWith(prefix) ? resolve(line.slice(prefix.length)) : reject(new Error(line));
      });
    });
}

/** Opens one stream and resolves once its first event (the snapshot) arrived. */
function openStream(url: string, token: string, taskId: string, agent: Agent): Promise<ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'a2a-version': '1.0', authorization: `Bearer ${token}` },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      if (res.statusCode !== 200) return reject(new Error(`SubscribeToTask answered HTTP ${res.statusCode}`));
      let seen = '';
      const onData = (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        if (!seen.includes('\n\n')) return;
        res.off('data', onData);
        res.resume();
        resolve(req);
      };
      res.on('data', onData);
      res.on('error', () => undefined);
    });
    req.end(subscribeBody(taskId));
  });
}

export async function idleStreams(count: number): Promise<IdleStreamsResult> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', SERVER, String(count)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const next = childLines(child);
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const open: ClientRequest[] = [];
  try {
    const ready = JSON.parse(await next('READY ', 120_000)) as {
      url: string;
      token: string;
      taskIds: string[];
    };
    const stats = async (): Promise<ChildStats> => {
      const line = next('STATS ', 10_000);
      child.stdin?.write('stats\n');
      return JSON.parse(await line) as ChildStats;
    };
    const before = await stats();
    const t0 = Date.now();
    for (let i = 0; i < ready.taskIds.length; i += BATCH) {
      const batch = ready.taskIds.slice(i, i + BATCH);
      open.push(...(await Promise.all(batch.map((id) => openStream(ready.url, ready.token, id, agent)))));
    }
    const openSeconds = (Date.now() - t0) / 1000;
    await sleep(1_000);
    const held = await stats();
    await sleep(2_000);
    const later = await stats();
    for (const req of open) req.destroy();
    let after = await stats();
    for (let i = 0; i < 100 && after.watchers > 0; i++) {
      await sleep(100);
      after = await stats();
    }
    return {
      streams: open.length,
      openSeconds,
      heapPerStreamBytes: (held.heapUsed - before.heapUsed) / count,
      rssPerStreamBytes: (held.rss - before.rss) / count,
      idleCpuPercent: ((later.cpuUs - held.cpuUs) / 2_000_000) * 100,
      released: after.watchers === 0,
    };
  } finally {
    for (const req of open) req.destroy();
    agent.destroy();
    child.stdin?.end();
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
