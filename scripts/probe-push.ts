import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { startBenchStack } from './bench/bench-stack';
import { runPushes } from './bench/push-run';
const b = await startBenchStack();
const s = new Session(); s.connect();
for (let r = 0; r < 4; r++) {
  if (r === 2) { await s.post('Profiler.enable'); await s.post('Profiler.setSamplingInterval', { interval: 200 }); await s.post('Profiler.start'); }
  const cpu0 = process.cpuUsage();
  const run = await runPushes(b, { tasks: 400, concurrency: 8, paced: false, timeoutMs: 60_000 });
  const cpu = process.cpuUsage(cpu0);
  console.log(`round ${r}: ${(run.delivered / run.seconds).toFixed(0)}/s, cpu/delivery ${((cpu.user + cpu.system) / run.delivered).toFixed(0)} µs`);
}
const { profile } = await s.post('Profiler.stop');
writeFileSync('/tmp/push.cpuprofile', JSON.stringify(profile));
await b.stop();
process.exit(0);
