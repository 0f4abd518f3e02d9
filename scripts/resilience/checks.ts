/**
 * The promises each resilience scenario checks, as lists of broken ones (empty = kept). The CLI
 * prints them; the tests assert they are empty.
 */
import type { FaultReport } from './fault-injection';
import type { FuzzReport } from './fuzz';
import type { LargeListReport } from './large-lists';
import type { LostTriggerReport } from './lost-trigger';
import type { OverloadReport } from './overload';
import type { SlowBodyReport } from './slow-bodies';
import { auditFailures } from './task-audit';
import type { FairnessReport } from './tenant-fairness';

export function faultFailures(r: FaultReport): string[] {
  const failures = auditFailures(r.audit);
  const deaths = Object.values(r.faults.workerDeaths).reduce((a, b) => a + b, 0);
  const webhookFailures = r.faults.webhook.serverError + r.faults.webhook.noAnswer + r.faults.webhook.reset;
  // A run without faults proves nothing.
  if (deaths === 0) failures.push('no worker process died: the crash injection did not run');
  if (r.faults.throttled === 0) failures.push('no store call was throttled');
  if (webhookFailures === 0) failures.push('the webhook never failed');
  return failures;
}

export function lostTriggerFailures(r: LostTriggerReport): string[] {
  const failures = auditFailures(r.audit);
  if (!r.deaths.includes('commit: after')) failures.push('the worker did not die after its final commit');
  return failures;
}

export function fuzzFailures(r: FuzzReport, heapBoundMb: number): string[] {
  const failures: string[] = [];
  if (r.violations.length > 0)
    failures.push(`${r.violations.length} bad answers: ${r.violations.slice(0, 3).join(' | ')}`);
  if (r.crashes.length > 0)
    failures.push(`${r.crashes.length} uncaught errors: ${r.crashes.slice(0, 3).join(' | ')}`);
  if (r.prototypePolluted) failures.push('Object.prototype was polluted');
  if (r.healthAfter !== 200) failures.push(`/health answered ${r.healthAfter} after the run`);
  const growth = r.heapAfterMb - r.heapBeforeMb;
  if (growth > heapBoundMb)
    failures.push(`heap grew by ${growth.toFixed(1)} MB after GC (bound ${heapBoundMb} MB)`);
  if (r.runs === 0) failures.push('no request was sent');
  return failures;
}

export function overloadFailures(r: OverloadReport): string[] {
  const failures: string[] = [];
  const s = r.options.settings;
  if (r.guard.peakInFlight > s.maxInFlight)
    failures.push(`${r.guard.peakInFlight} requests in flight (bound ${s.maxInFlight})`);
  if (r.guard.peakTenantInFlight > s.maxInFlightPerTenant) {
    failures.push(
      `${r.guard.peakTenantInFlight} requests of one tenant in flight (bound ${s.maxInFlightPerTenant})`,
    );
  }
  if (r.guard.refused.process === 0) failures.push('the flood never reached the process bound');
  if (r.malformed.length > 0)
    failures.push(`${r.malformed.length} unclear refusals: ${r.malformed.slice(0, 3).join(' | ')}`);
  const other = Object.keys(r.answers).filter((k) => !/ (200|503|429)$/.test(k));
  if (other.length > 0) failures.push(`unexpected answers: ${other.join(', ')}`);
  if (r.acceptedNotCompleted.length > 0)
    failures.push(`${r.acceptedNotCompleted.length} accepted tasks did not complete`);
  if (r.recovery.completed !== r.recovery.sent)
    failures.push(`after the flood ${r.recovery.completed} of ${r.recovery.sent} sends completed`);
  if (r.eventLoop.whileStalled !== '503 event-loop')
    failures.push(`a stalled event loop answered ${r.eventLoop.whileStalled}, not 503`);
  if (r.eventLoop.afterwards !== '200')
    failures.push(`after the stall the gateway answered ${r.eventLoop.afterwards}`);
  return failures;
}

/**
 * Tenant fairness (with fair delivery on): B's blocking sends all complete, each while A still has
 * queued work (B did not wait behind A's backlog), and A's flood met the cap with clear refusals.
 */
export function fairnessFailures(r: FairnessReport): string[] {
  const failures: string[] = [];
  const { probes, flood, options: o } = r;
  if (probes.completed !== o.probes)
    failures.push(`${probes.completed} of ${o.probes} blocking sends of the quiet tenant completed`);
  const behind = probes.aQueuedAtEach.filter((n) => n === 0).length;
  if (behind > 0)
    failures.push(`${behind} sends of the quiet tenant completed only after the noisy backlog drained`);
  if (flood.refused === 0) failures.push(`the noisy tenant's ${o.flood} sends never met the cap of ${o.cap}`);
  if (flood.malformed.length > 0)
    failures.push(`${flood.malformed.length} unclear answers: ${flood.malformed.slice(0, 3).join(' | ')}`);
  // the count and the create are two steps: concurrent sends may pass the cap by their number
  if (r.peakQueuedA > o.cap + o.concurrency)
    failures.push(
      `the noisy tenant had ${r.peakQueuedA} queued tasks (cap ${o.cap}, ${o.concurrency} at once)`,
    );
  return failures;
}

export function slowBodyFailures(r: SlowBodyReport): string[] {
  const failures = victimFailures(r.victim);
  const { answers } = r.attack;
  const bound = r.options.settings.maxInFlightPerTenant;
  if (r.guard.peakTenantInFlight > bound)
    failures.push(`the attacker held ${r.guard.peakTenantInFlight} slots (its share is ${bound})`);
  if (!answers['429']) failures.push('the attacker was never refused beyond its share (429)');
  if (r.options.durationMs > r.options.requestTimeouts.requestMs && !answers['408'])
    failures.push('no slow body was cut with 408 at the request bound');
  const other = Object.keys(answers).filter((k) => k !== '429' && k !== '408');
  if (other.length > 0) failures.push(`unexpected answers to the attacker: ${other.join(', ')}`);
  if (r.attack.unclear.length > 0)
    failures.push(`answers without a JSON-RPC body: ${r.attack.unclear.slice(0, 3).join(' | ')}`);
  return failures;
}

export function largeListFailures(r: LargeListReport): string[] {
  const failures = victimFailures(r.victim);
  // The budget counts the tasks' JSON; the envelope adds a few hundred bytes.
  const ceiling = r.options.listPageMaxBytes + 4096;
  if (r.attack.largestAnswerBytes > ceiling)
    failures.push(
      `a ListTasks answer of ${r.attack.largestAnswerBytes} bytes (budget ${r.options.listPageMaxBytes})`,
    );
  const other = Object.keys(r.attack.statuses).filter((k) => k !== '200' && k !== '429' && k !== '503');
  if (other.length > 0) failures.push(`unexpected ListTasks answers: ${other.join(', ')}`);
  const w = r.walk;
  if (w.seen !== w.expected || w.distinct !== w.expected)
    failures.push(`walking the pages saw ${w.seen} tasks (${w.distinct} distinct) of ${w.expected}`);
  if (w.pages < 2) failures.push('the pages were never cut by bytes');
  return failures;
}

function victimFailures(v: { requests: number; statuses: Record<string, number> }): string[] {
  const failures: string[] = [];
  if (v.requests === 0) failures.push('the quiet tenant sent nothing');
  const refused = Object.entries(v.statuses).filter(([k]) => k !== '200');
  if (refused.length > 0)
    failures.push(`the quiet tenant got ${refused.map(([k, n]) => `${n} x ${k}`).join(', ')}`);
  return failures;
}
