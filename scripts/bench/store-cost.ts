/**
 * 2. Store cost: DynamoDB requests and request units per task lifecycle (SendMessage with one
 * inline push config -> WORKING -> artifact -> COMPLETED, each event pushed), per GetTask and per
 * ListTasks page, against DynamoDB Local with ReturnConsumedCapacity; then dollars per million
 * tasks with the on-demand prices and the stated Lambda assumptions.
 */

import { type BenchOptions, type BenchRow, round, type SectionResult } from './bench-types';
import { blockingCostRows } from './blocking-cost';
import { assumedLambdas, costPerMillionTasks, PRICES, sqsRequestsPerTask } from './cost-model';
import type { MeterReading } from './dynamo-metering';
import { partitionNote, partitionRow } from './partition-limits';
import { type StoreCostRig, startStoreCostRig } from './store-cost-rig';

const SECTION = '2. Store cost';

interface Lifecycle {
  send: MeterReading;
  worker: MeterReading;
  push: MeterReading;
  triggers: number;
}

const message = (text: string) => ({
  messageId: `cost-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  role: 'ROLE_USER',
  parts: [{ text }],
});

async function lifecycle(rig: StoreCostRig): Promise<Lifecycle> {
  const start = rig.meter.reading();
  const pushStart = rig.pushMeter.reading();
  const triggersBefore = rig.triggers;
  await rig.rpc('SendMessage', {
    message: message('hello, store'),
    configuration: {
      returnImmediately: true,
      taskPushNotificationConfig: { url: 'http://127.0.0.1:9/hook' },
    },
  });
  const send = rig.meter.delta(start);
  const afterSend = rig.meter.reading();
  await rig.work();
  return {
    send,
    worker: rig.meter.delta(afterSend),
    push: rig.pushMeter.delta(pushStart),
    triggers: rig.triggers - triggersBefore,
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Where the write units of a lifecycle go, from the metered breakdown, and what would cut them. */
function whyWrites(runs: Lifecycle[]): string {
  const task = (l: Lifecycle) => [l.send, l.worker];
  const part = (f: (r: MeterReading) => number) =>
    round(mean(runs.map((l) => task(l).reduce((n, r) => n + f(r), 0))), 1);
  const cmd = (r: MeterReading, name: string) =>
    r.byCommand[name] ?? { requests: 0, units: 0, indexUnits: 0 };
  const index = part((r) => r.indexWru);
  const txTable = part(
    (r) => cmd(r, 'TransactWriteItemsCommand').units - cmd(r, 'TransactWriteItemsCommand').indexUnits,
  );
  const txCount = part((r) => cmd(r, 'TransactWriteItemsCommand').requests);
  const updates = part((r) => cmd(r, 'UpdateItemCommand').units - cmd(r, 'UpdateItemCommand').indexUnits);
  const puts = part((r) => cmd(r, 'PutItemCommand').units - cmd(r, 'PutItemCommand').indexUnits);
  const push = round(mean(runs.map((l) => l.push.wru)), 1);
  return [
    `Of the task's ${part((r) => r.wru)} WRU, ${index} are index updates, 1 WRU an index item (each index projects only what its readers filter on): a queued task is in GSI5 (the tenant's SUBMITTED tasks, counted for the queued-work cap and listed by ListTasks; a put and a delete) and GSI3 (the reconciler's, while SUBMITTED or WORKING; a put and a delete, claims and renewals do not move it), and it enters GSI1 and GSI2 (listed by agent and by context) with a put in each when it leaves SUBMITTED (README decision 84); a later status change would move their sort key, the status timestamp (a delete plus a put in each), but an echo task changes status once, SUBMITTED -> COMPLETED, as its events share one commit.`,
    `${txTable} WRU are the table writes of ${txCount} TransactWriteItems (the create's: the snapshot and the idempotency record, each billed twice), ${puts} WRU single puts billed once (the create's first event and push config ahead of its transaction, README decision 82, and each event of the agent's commit after its snapshot update, decision 83), and ${updates} WRU UpdateItems of the snapshot (the lease claim, and the agent's commit, which holds its events until the log has them; the commit that ends the task ends the lease, so no release follows); the push dispatcher adds ${push} WRU (per trigger with something to send, a push-lease acquire and a release that also moves the cursor, once per run, and stamps the config with the ended task's expiry).`,
    `Done: the list indexes project only their filter attributes (103 -> 81 WRU, old meter); the meter bills transactions per item (DynamoDB Local's own figure was wrong: 94 WRU then, 62 billed correctly); WORKING shares the commit of the agent's first events (one transaction and one push trigger less: 62 -> 56); the ending commit ends the lease (no release: 56 -> 54); claims do not move the reconciler's due time (54 -> 52); the push cursor moves once per dispatcher run, in the lease release, and a run reads the task once (push 10 -> 6 WRU: 52 -> 48); task and event bodies are stored deflated with a fixed A2A dictionary (an echo snapshot 1.5 -> 0.8 KB: 48 -> 41); the worker claims first and its step checks trust the claim until it commits; the agent's events of one event-loop turn share a commit (an echo run: one transaction and one push trigger, 41 -> 33). The create fires no push trigger: its SUBMITTED goes out with the first commit's deliveries (33 -> 31). The dispatcher's release stamps a push config with the ended task's expiry, not the ending commit, which neither reads the configs nor writes them in its transaction (31 -> 29; README decision 76). A create puts its first event and push config ahead of a transaction of just the snapshot and the idempotency record (29 -> 27; README decision 82). An agent's commit updates the snapshot, which holds its events until the log has them, and then puts each event, instead of a transaction that billed every item twice (27 -> 23; README decision 83). A queued task is listed from GSI5, which held it for the queued-work count already, and enters GSI1 and GSI2 when it leaves SUBMITTED: a put in each instead of a put at create and a move (23 -> ${round(part((r) => r.wru) + push, 0)}; README decision 84).`,
    `Toward the stretch of 12 WRU (a design review of 2026-12-07, not built): the create's transaction, ${txTable} WRU. A create without any transaction needs an arbiter for one that died between the snapshot and the idempotency record: the record written last and a reconciler that runs a SUBMITTED task only if that record names it (about 2 WRU less), or task ids derived from tenant, agent and the message's idempotency key, so that the snapshot's own condition is the idempotency check and no record is written (about 3 WRU less: ${round(part((r) => r.wru) - 3 + push, 0)} WRU), at the price of a messageId that names its task for as long as any of its items lasts. Below that, each event is its own item (the mission) and the indexes ListTasks, the cap and the reconciler read are 6 WRU.`,
  ].join(' ');
}
const commands = (r: MeterReading) =>
  Object.entries(r.byCommand)
    .map(([name, c]) => `${name.replace('Command', '')} ${c.requests}×/${round(c.units, 1)} u`)
    .join(', ');

export async function storeCost(o: BenchOptions): Promise<SectionResult> {
  const rig = await startStoreCostRig();
  try {
    const runs: Lifecycle[] = [];
    for (let i = 0; i < (o.quick ? 3 : 10); i++) runs.push(await lifecycle(rig));
    const wru = (pick: (l: Lifecycle) => MeterReading) => mean(runs.map((l) => pick(l).wru));
    const rru = (pick: (l: Lifecycle) => MeterReading) => mean(runs.map((l) => pick(l).rru));
    const reqs = (pick: (l: Lifecycle) => MeterReading) => mean(runs.map((l) => pick(l).requests));
    const taskWru = wru((l) => l.send) + wru((l) => l.worker);
    const pushWru = wru((l) => l.push);
    const totalWru = taskWru + pushWru;
    const totalRru = rru((l) => l.send) + rru((l) => l.worker) + rru((l) => l.push);
    const triggers = mean(runs.map((l) => l.triggers));

    // GetTask, then ListTasks pages over at least 25 tasks of this agent.
    for (let i = runs.length; i < 25; i++) {
      await rig.rpc('SendMessage', {
        message: message('filler'),
        configuration: { returnImmediately: true },
      });
    }
    await rig.work();
    const created = (
      await rig.rpc('SendMessage', {
        message: message('read me'),
        configuration: { returnImmediately: true },
      })
    ).task as { id: string };
    await rig.work();
    const beforeGet = rig.meter.reading();
    await rig.rpc('GetTask', { id: created.id });
    const get = rig.meter.delta(beforeGet);
    const beforeList = rig.meter.reading();
    const page = await rig.rpc('ListTasks', { pageSize: 10 });
    const list = rig.meter.delta(beforeList);

    const cost = costPerMillionTasks({
      wru: totalWru,
      rru: totalRru,
      sqsRequests: sqsRequestsPerTask(triggers),
      lambdas: assumedLambdas(triggers),
    });
    const usd = (n: number) => `$${n.toFixed(2)}`;
    const gatewayMb = (t: number) => assumedLambdas(t).find((l) => l.name === 'gateway')?.memoryMb ?? 1024;
    const rows: BenchRow[] = [
      {
        section: SECTION,
        metric: 'write units per task lifecycle (1 push config)',
        value: round(totalWru, 1),
        unit: 'WRU',
        target: {
          kind: 'max',
          value: 24,
          label: '≤ 24 WRU (stretch 12)',
          ifMissed: "The section's notes say where the write units go, what was done and what is left.",
        },
        note: `task ${round(taskWru, 1)} (SendMessage ${round(
          wru((l) => l.send),
          1,
        )}, worker ${round(
          wru((l) => l.worker),
          1,
        )}) + push ${round(pushWru, 1)}`,
      },
      {
        section: SECTION,
        metric: 'read units per task lifecycle',
        value: round(totalRru, 1),
        unit: 'RRU',
        target: { kind: 'max', value: 8, label: '≤ 8 RRU' },
        note: `SendMessage ${round(
          rru((l) => l.send),
          1,
        )}, worker ${round(
          rru((l) => l.worker),
          1,
        )}, push ${round(
          rru((l) => l.push),
          1,
        )}`,
      },
      {
        section: SECTION,
        metric: 'DynamoDB requests per task lifecycle',
        value: round(reqs((l) => l.send) + reqs((l) => l.worker) + reqs((l) => l.push), 1),
        unit: 'requests',
        note: `SendMessage ${reqs((l) => l.send)}, worker ${reqs((l) => l.worker)}, push ${reqs((l) => l.push)} (${triggers} triggers)`,
      },
      {
        section: SECTION,
        metric: 'GetTask: read requests',
        value: get.readRequests,
        unit: 'requests',
        target: { kind: 'max', value: 1, label: '1 request' },
        note: `${round(get.rru, 2)} RRU (strongly consistent GetItem of the snapshot)`,
      },
      {
        section: SECTION,
        metric: 'ListTasks page of 10: requests',
        value: list.requests,
        unit: 'requests',
        note: `${round(list.rru, 2)} RRU; totalSize ${String(page.totalSize)}: ${commands(list)}`,
      },
      partitionRow(SECTION),
      {
        section: SECTION,
        metric: 'AWS cost per million tasks',
        value: round(cost.total, 2),
        unit: 'USD',
        target: {
          kind: 'max',
          value: 30,
          label: '≤ 30 USD',
          ifMissed: `DynamoDB is ${Math.round((cost.dynamodb / cost.total) * 100)} % of it: the write units are the lever; $30 needs ${Math.floor(totalWru - (cost.total - 30) / PRICES.wruPerMillion)} WRU or fewer per lifecycle, ${Math.ceil((cost.total - 30) / PRICES.wruPerMillion)} less than now. At today's on-demand price of $0.625 per million WRU (half the issue's $1.25) the same lifecycle costs ${usd(cost.total - totalWru * PRICES.wruPerMillion * 0.5)}. The section's notes say where the write units go, what was done and what is left.`,
        },
        note: `DynamoDB ${usd(cost.dynamodb)}, SQS ${usd(cost.sqs)}, Lambda ${usd(cost.lambdaRequests + cost.lambdaCompute)}; + HTTP API ${usd(cost.httpApi)}`,
      },
      ...blockingCostRows(SECTION, gatewayMb(triggers), get.rru),
    ];
    const lambdas = assumedLambdas(triggers)
      .map((l) => `${l.name} ${round(l.invocationsPerTask, 1)}× ${l.memoryMb} MB × ${l.durationMs} ms`)
      .join('; ');
    return {
      section: SECTION,
      rows,
      notes: [
        `DynamoDB Local 3.3 (in memory) with \`ReturnConsumedCapacity: 'INDEXES'\` (the TOTAL figure, split into table and index parts) set on every data-plane command by an SDK middleware (scripts/bench/dynamo-metering.ts), which sums the ConsumedCapacity of the answers. DynamoDB Local's figure for a TransactWriteItems is wrong (twice the sum of the distinct per-item units: five small puts report 2 WRU), so the meter bills a transaction from its items (scripts/bench/transact-billing.ts): 2 WRU per started KB of the larger of each item's before and after images, read by the meter, and the index updates it causes once (assumption: AWS bills them as standard writes). Until 2026-12 the bench doubled DynamoDB Local's figure instead, which overstated a lifecycle by half (94 WRU then, 62 with this meter, same code). Mean over ${runs.length} lifecycles; the figures are the same in every run.`,
        `A lifecycle: SendMessage with returnImmediately and an inline push config (gateway via app.inject), the echo agent run by the real worker code (runTask), and the real push dispatcher (deliverTaskPushes) run once per push trigger, i.e. right after each commit of a task with a push config, with a sender that answers 200. Small task: one short text part.`,
        `Where a lifecycle's write units go: ${whyWrites(runs)}`,
        partitionNote(list, 10),
        `Cost per million tasks, with DynamoDB $${PRICES.wruPerMillion}/M WRU and $${PRICES.rruPerMillion}/M RRU, SQS $${PRICES.sqsPerMillion}/M requests (${sqsRequestsPerTask(triggers)} per task: the work message's send/receive/delete and the same for each of the ${triggers} push triggers; the event source mappings' empty long polls are a fixed cost per queue), Lambda $${PRICES.lambdaRequestsPerMillion}/M requests + $${PRICES.lambdaGbSecond}/GB-s (x86; assumed warm durations: ${lambdas}). API Gateway's HTTP API adds $${PRICES.httpApiPerMillion}/M requests. No polling: a client that polls GetTask adds ${round(get.rru, 2)} RRU per poll.`,
      ],
    };
  } finally {
    await rig.stop();
  }
}
