/**
 * The CPU cost of one log line as the gateway writes it at info (the production logger: redaction,
 * the service/method/tenant bindings, ISO time, a synchronous write to /dev/null), measured in
 * this process. Multiplied by the lines per request it gives the cost of logging per request with
 * a precision an end-to-end A/B on a shared machine cannot reach (its noise is ±10 %).
 */
import { randomUUID } from 'node:crypto';
import { median } from './bench-types';
import { benchLogger } from './gateway-server';

/** Median CPU µs per `info` line over a few batches. */
export function logLineMicros(batches = 5, linesPerBatch = 20_000): number {
  const logger = benchLogger('info')
    .child({ service: 'gateway' })
    .child({ method: 'SendMessage', tenant: 'bench', reqId: randomUUID() });
  const fields = { taskId: randomUUID(), contextId: randomUUID(), agentId: 'echo' };
  for (let i = 0; i < 2_000; i++) logger.info(fields, 'task created');
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    const before = process.cpuUsage();
    for (let i = 0; i < linesPerBatch; i++) logger.info(fields, 'task created');
    const used = process.cpuUsage(before);
    samples.push((used.user + used.system) / linesPerBatch);
  }
  return median(samples);
}
