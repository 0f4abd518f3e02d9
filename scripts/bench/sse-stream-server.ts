/**
 * Child process of the idle-streams benchmark, so the figures are the server's alone: the SSE
 * bench gateway with `count` tasks created up front. It prints `READY {url, token, taskIds}` and
 * answers `stats` on stdin with `STATS {heapUsed, rss, cpuUs, watchers}` (after a GC).
 * Run as: node --expose-gc --import tsx scripts/bench/sse-stream-server.ts <count>
 */
import { createInterface } from 'node:readline';
import { startSseBenchGateway } from './sse-bench-gateway';

const count = Number(process.argv[2] ?? '100');
const gateway = await startSseBenchGateway({ watcher: 'bus', maxStreams: count + 100 });
const taskIds: string[] = [];
for (let i = 0; i < count; i++) taskIds.push((await gateway.createTask()).id);
process.stdout.write(`READY ${JSON.stringify({ url: gateway.url, token: gateway.token, taskIds })}\n`);

const gc = (globalThis as { gc?: () => void }).gc;
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'stats') return;
  gc?.();
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  const stats = {
    heapUsed: m.heapUsed,
    rss: m.rss,
    cpuUs: cpu.user + cpu.system,
    watchers: gateway.bus.waiting,
  };
  process.stdout.write(`STATS ${JSON.stringify(stats)}\n`);
});
process.stdin.on('end', () => void gateway.close().then(() => process.exit(0)));
