/**
 * What a blocking SendMessage costs in AWS while it waits: the gateway Lambda is billed by the
 * GB-second for every second the call is held, and its watcher (adapters/polling, 25 ms doubling
 * to 500 ms) reads the task once per poll. Priced from the cost model and the measured read units
 * of one GetItem of the snapshot, against returnImmediately (one short invocation) plus push or a
 * stream.
 */
import type { BenchRow } from './bench-types';
import { round } from './bench-types';
import { PRICES } from './cost-model';

const POLL = { minMs: 25, maxMs: 500 };

/** Store reads a blocking call makes while it waits `seconds` (the polling watcher's schedule). */
export function pollsWhileWaiting(seconds: number): number {
  let waited = 0;
  let interval = POLL.minMs;
  let polls = 0;
  while (waited + interval <= seconds * 1000) {
    waited += interval;
    polls += 1;
    interval = Math.min(POLL.maxMs, interval * 2);
  }
  return polls;
}

/** Dollars per million blocking calls that wait `seconds` with the gateway at `memoryMb`. */
export function blockingWaitCost(seconds: number, memoryMb: number, rruPerPoll: number) {
  const lambda = seconds * (memoryMb / 1024) * PRICES.lambdaGbSecond * 1_000_000;
  const reads = pollsWhileWaiting(seconds) * rruPerPoll * PRICES.rruPerMillion;
  return { lambda, reads, total: lambda + reads };
}

export function blockingCostRows(section: string, gatewayMemoryMb: number, rruPerPoll: number): BenchRow[] {
  const usd = (n: number) => `$${n.toFixed(2)}`;
  const perSecond = blockingWaitCost(1, gatewayMemoryMb, rruPerPoll);
  const tenSeconds = blockingWaitCost(10, gatewayMemoryMb, rruPerPoll);
  // the other size beside the deployed one: what the wait cost at the earlier 1024 MB, or at half
  const otherMb = gatewayMemoryMb === 1024 ? 512 : 1024;
  const other = blockingWaitCost(10, otherMb, rruPerPoll);
  return [
    {
      section,
      metric: 'blocking SendMessage: each second waited, per million calls',
      value: round(blockingWaitCost(11, gatewayMemoryMb, rruPerPoll).total - tenSeconds.total, 2),
      unit: 'USD',
      note: `gateway Lambda ${gatewayMemoryMb} MB held (${usd(perSecond.lambda)}/s) + 2 polls/s of ${round(rruPerPoll, 2)} RRU once the watcher's interval reached 500 ms; the first second ${usd(perSecond.total)} (${pollsWhileWaiting(1)} polls)`,
    },
    {
      section,
      metric: 'blocking SendMessage on a 10 s agent run, per million calls',
      value: round(tenSeconds.total, 2),
      unit: 'USD',
      note: `on top of the task's cost: Lambda ${usd(tenSeconds.lambda)}, ${pollsWhileWaiting(10)} polls ${usd(tenSeconds.reads)}; at ${otherMb} MB ${usd(other.total)}; returnImmediately + push or a stream: $0 (the wait is the client's)`,
    },
  ];
}
