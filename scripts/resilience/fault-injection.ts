/**
 * Resilience 1, fault injection: tasks sent through the gateway while worker processes die at
 * random points (store calls before or after they land, or before the ack), the store throttles
 * at random, and the webhook receiver fails 30 % of the calls (500, no answer, connection reset).
 * A client retries a throttled SendMessage with the same messageId, as it should. Then the audit
 * (task-audit.ts): no task lost, stuck or run twice, every push event delivered in order.
 */
import { type Decision, startTimingReceiver } from '../bench/timing-receiver';
import { randomCrashes, seededRandom } from './faults';
import { startResilienceStack } from './resilience-stack';
import { forEachLimited, pause, postRpc, reasonOf } from './rpc-client';
import { auditTasks, type TaskAudit } from './task-audit';

export interface FaultScenarioOptions {
  tasks: number;
  seed: number;
  /** share of worker runs that crash (spread over store calls and the ack) */
  crashRate: number;
  throttle: number;
  webhookFailure: number;
  /** how long to wait for every task to end and every push to arrive */
  deadlineMs: number;
}

export interface FaultReport {
  options: FaultScenarioOptions;
  seconds: number;
  audit: TaskAudit;
  faults: {
    workerDeaths: Record<string, number>;
    storeCalls: number;
    throttled: number;
    sendRetries: number;
    webhook: { ok: number; serverError: number; noAnswer: number; reset: number };
  };
}

export const DEFAULT_FAULTS: Omit<FaultScenarioOptions, 'tasks' | 'seed' | 'deadlineMs'> = {
  crashRate: 0.1,
  throttle: 0.02,
  webhookFailure: 0.3,
};

/** An echo run makes about 8 store calls: a per-call chance that kills ~`share` of the runs. */
const perCall = (share: number) => 1 - (1 - share) ** (1 / 8);

export async function runFaultScenario(o: FaultScenarioOptions): Promise<FaultReport> {
  const started = Date.now();
  const random = seededRandom(o.seed);
  const webhookRandom = seededRandom(o.seed ^ 0x5bd1e995);
  const webhook = { ok: 0, serverError: 0, noAnswer: 0, reset: 0 };
  // A third each: HTTP 500, no answer (the sender times out), the connection reset.
  const receiver = await startTimingReceiver((): Decision => {
    const r = webhookRandom();
    const third = o.webhookFailure / 3;
    const [kind, decision]: [keyof typeof webhook, Decision] =
      r < third
        ? ['serverError', { kind: 'answer', status: 500 }]
        : r < 2 * third
          ? ['noAnswer', { kind: 'hang' }]
          : r < o.webhookFailure
            ? ['reset', { kind: 'reset' }]
            : ['ok', { kind: 'answer', status: 200 }];
    webhook[kind] += 1;
    return decision;
  });
  const stack = await startResilienceStack({
    random,
    workers: 4,
    throttle: o.throttle,
    crashes: randomCrashes(perCall(o.crashRate * 0.8), random),
    crashBeforeAck: o.crashRate * 0.2,
    agentDelayMs: 0,
    blockingTimeoutMs: 1_000,
    push: true,
  });
  const tenant = 'resilience';
  const token = await stack.issuer.mint({ tenant, scopes: ['tasks:submit', 'tasks:read'] });
  const taskIds: string[] = [];
  let sendRetries = 0;
  try {
    await forEachLimited(o.tasks, 16, async (i) => {
      const messageId = `fault-${o.seed}-${i}`;
      for (let attempt = 0; attempt < 50; attempt++) {
        const answer = await postRpc(`${stack.url}/agents/echo`, token, 'SendMessage', {
          message: { messageId, role: 'ROLE_USER', parts: [{ text: `task ${i}` }] },
          configuration: { returnImmediately: true, taskPushNotificationConfig: { url: receiver.url } },
        }).catch(() => undefined);
        const id = (answer?.body.result?.task as { id?: string } | undefined)?.id;
        if (id) return void taskIds.push(id);
        if (answer && reasonOf(answer) !== 'UNAVAILABLE')
          throw new Error(`SendMessage refused: ${JSON.stringify(answer.body)}`);
        sendRetries += 1;
        await pause(20);
      }
      throw new Error(`SendMessage ${messageId} still throttled after 50 attempts`);
    });
    const deadline = started + o.deadlineMs;
    for (;;) {
      const audit = await auditTasks(stack.truth, tenant, taskIds, stack.runs, receiver.arrivals);
      const done = audit.stuck.length === 0 && (audit.push?.delivered ?? 0) >= (audit.push?.expected ?? 0);
      if (done || Date.now() > deadline) break;
      await pause(250);
    }
  } finally {
    await stack.stop();
    await receiver.close();
  }
  const workerDeaths: Record<string, number> = {};
  for (const where of stack.fleet.deaths) workerDeaths[where] = (workerDeaths[where] ?? 0) + 1;
  return {
    options: o,
    seconds: (Date.now() - started) / 1000,
    audit: await auditTasks(stack.truth, tenant, taskIds, stack.runs, receiver.arrivals),
    faults: {
      workerDeaths,
      storeCalls: stack.throttles.calls,
      throttled: stack.throttles.throttled,
      sendRetries,
      webhook,
    },
  };
}
