/**
 * The push dispatcher's DynamoDB requests, metered like the store-cost bench
 * (scripts/bench/dynamo-metering.ts), and what its one cursor write per run promises: a
 * dispatcher that dies after its deliveries, before that write, leaves the old cursor, so the
 * next one sends those events again. DynamoDB Local, the real webhook sender on loopback.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { TaskState } from '../../core/a2a/task-state';
import { isoAt } from '../../core/ports/clock';
import { silentLogger } from '../../core/ports/logger';
import type { PushSender } from '../../core/ports/push-sender';
import type { TaskStore } from '../../core/ports/task-store';
import { applyEvents } from '../../core/task-record';
import { meterDynamo } from '../../scripts/bench/dynamo-metering';
import { deliverTaskPushes } from '../../workers/push-dispatcher/deliver-pushes';
import { localDynamoClient, useStoreTable } from '../support/dynamo-client';
import { ctx, newTask, pushConfig, testClock, uniqueId } from '../support/factories';
import { loopbackPushSender } from '../support/loopback-push-sender';
import { type Receiver, startReceiver } from '../support/webhook-receivers';

const tableName = `push-requests-${randomUUID()}`;
const raw = localDynamoClient();
const meter = meterDynamo(raw);
const clock = testClock();
const store = new DynamoTaskStore({ client: DynamoDBDocumentClient.from(raw), tableName, clock });
const LEASE_MS = 60_000;
let receiver: Receiver;
let sender: PushSender;

useStoreTable(raw, tableName);

beforeAll(async () => {
  receiver = await startReceiver();
  sender = await loopbackPushSender();
});

afterAll(async () => {
  await receiver?.close();
});

const deps = (s: TaskStore, dispatcherId = 'd') => ({
  store: s,
  sender,
  clock,
  logger: silentLogger,
  settings: { suspendAfter: 5, leaseMs: LEASE_MS },
  dispatcherId,
});

/** A task (SUBMITTED, seq 1) with one config whose cursor is at 0, delivering to `path`. */
async function taskWithConfig(path: string) {
  const me = ctx(uniqueId('tenant'));
  const input = newTask({ tenant: me.principal.tenant, hasPush: true });
  const config = {
    ...pushConfig(input.task.id, { id: 'cfg', url: `${receiver.origin}${path}` }),
    delivery: { lastDeliveredSeq: 0, consecutiveFailures: 0 },
  };
  await store.create(me, { ...input, pushConfigs: [config] });
  return { me, taskId: input.task.id };
}

async function complete(me: ReturnType<typeof ctx>, taskId: string, expiresAt?: number): Promise<void> {
  const current = await store.get(me, taskId);
  if (!current) throw new Error('task missing');
  const { next, stored } = applyEvents(
    current,
    [{ kind: 'status', status: { state: TaskState.Completed } }],
    isoAt(clock.now()),
  );
  if (expiresAt !== undefined) next.expiresAt = expiresAt;
  await store.commit(me, { taskId, expectedVersion: current.version, next, events: stored });
}

const states = (path: string) =>
  receiver.requests
    .filter((r) => r.url === path)
    .map((r) => JSON.parse(r.body.toString()).statusUpdate?.status?.state);

describe('push dispatch requests', () => {
  it('reads the task, its configs and the new events in one request, and writes twice (lease, then cursor with the release)', async () => {
    const { me, taskId } = await taskWithConfig('/one');
    const before = meter.reading();
    // the trigger's hint: the commit that fired it appended seq 1
    const outcome = await deliverTaskPushes(deps(store), me, taskId, 1);
    const reading = meter.delta(before);
    expect(outcome).toMatchObject({ delivered: 1, retry: false, busy: false });
    expect(states('/one')).toEqual(['TASK_STATE_SUBMITTED']);
    expect(reading.byCommand.GetItemCommand).toBeUndefined();
    // the one read from EVT#1 to TASK; no look after the release, as nobody knocked
    expect(reading.byCommand.QueryCommand?.requests).toBe(1);
    expect(reading.byCommand.UpdateItemCommand?.requests).toBe(2);
    expect(reading.requests).toBe(3);
    expect(reading.rru).toBe(1);
    expect(reading.wru).toBe(2);
    expect((await store.getPushConfig(me, taskId, 'cfg'))?.delivery?.lastDeliveredSeq).toBe(1);
  });

  it('reads a config behind the hint from its own cursor, and reads the configs and task alone without a hint', async () => {
    const { me, taskId } = await taskWithConfig('/behind');
    await complete(me, taskId);
    // hint 2 (the COMPLETED commit), but the cursor is still 0: seq 1 is read from the cursor
    expect(await deliverTaskPushes(deps(store), me, taskId, 2)).toMatchObject({ delivered: 2, retry: false });
    expect(states('/behind')).toEqual(['TASK_STATE_SUBMITTED', 'TASK_STATE_COMPLETED']);
    const { me: me2, taskId: task2 } = await taskWithConfig('/nohint');
    const before = meter.reading();
    expect(await deliverTaskPushes(deps(store), me2, task2)).toMatchObject({ delivered: 1, retry: false });
    // configs and task, then the log from the cursor
    expect(meter.delta(before).byCommand.QueryCommand?.requests).toBe(2);
    expect(states('/nohint')).toEqual(['TASK_STATE_SUBMITTED']);
  });

  it('drains a long log in pages of pageSize, in order', async () => {
    const { me, taskId } = await taskWithConfig('/long');
    for (let i = 0; i < 6; i++) {
      const current = await store.get(me, taskId);
      if (!current) throw new Error('task missing');
      const { next, stored } = applyEvents(
        current,
        [{ kind: 'status', status: { state: TaskState.Working } }],
        isoAt(clock.now()),
      );
      await store.commit(me, { taskId, expectedVersion: current.version, next, events: stored });
    }
    const paged = { ...deps(store), settings: { suspendAfter: 5, leaseMs: LEASE_MS, pageSize: 3 } };
    expect(await deliverTaskPushes(paged, me, taskId, 1)).toMatchObject({ delivered: 7, retry: false });
    expect(states('/long')).toEqual(['TASK_STATE_SUBMITTED', ...Array(6).fill('TASK_STATE_WORKING')]);
    expect((await store.getPushConfig(me, taskId, 'cfg'))?.delivery?.lastDeliveredSeq).toBe(7);
  });

  it('moves the cursor once for several events, and leaves an up-to-date config without a write', async () => {
    const { me, taskId } = await taskWithConfig('/several');
    await complete(me, taskId);
    let before = meter.reading();
    await deliverTaskPushes(deps(store), me, taskId);
    expect(meter.delta(before).writeRequests).toBe(2);
    expect(states('/several')).toEqual(['TASK_STATE_SUBMITTED', 'TASK_STATE_COMPLETED']);
    // A later trigger (a busy dispatcher's retry) finds the cursor at the task's last event.
    before = meter.reading();
    const outcome = await deliverTaskPushes(deps(store), me, taskId, 2);
    const reading = meter.delta(before);
    expect(outcome).toMatchObject({ delivered: 0, retry: false, busy: false });
    expect(reading.writeRequests).toBe(0);
    expect(reading.requests).toBe(1);
  });

  it('re-delivers from the old cursor after a dispatcher died between its deliveries and the cursor write', async () => {
    const { me, taskId } = await taskWithConfig('/crash');
    await complete(me, taskId);
    // The dispatcher dies after sending: its releasing write (which moves the cursor) never lands.
    const dying = new Proxy(store, {
      get(target, prop, receiverObj) {
        if (prop === 'releasePushLease') return async () => Promise.reject(new Error('process died'));
        return Reflect.get(target, prop, receiverObj);
      },
    });
    await deliverTaskPushes(deps(dying, 'dies'), me, taskId);
    expect(states('/crash')).toEqual(['TASK_STATE_SUBMITTED', 'TASK_STATE_COMPLETED']);
    expect((await store.getPushConfig(me, taskId, 'cfg'))?.delivery?.lastDeliveredSeq).toBe(0);
    // Its lease still excludes another dispatcher until it expires...
    expect(await deliverTaskPushes(deps(store, 'second'), me, taskId)).toMatchObject({
      busy: true,
      delivered: 0,
    });
    // ...after which the next one sends everything after the old cursor again, in order.
    clock.advance(LEASE_MS + 1);
    expect(await deliverTaskPushes(deps(store, 'third'), me, taskId)).toMatchObject({
      delivered: 2,
      retry: false,
    });
    expect(states('/crash')).toEqual([
      'TASK_STATE_SUBMITTED',
      'TASK_STATE_COMPLETED',
      'TASK_STATE_SUBMITTED',
      'TASK_STATE_COMPLETED',
    ]);
    expect((await store.getPushConfig(me, taskId, 'cfg'))?.delivery?.lastDeliveredSeq).toBe(2);
  });

  it('stamps the ended task expiry on the configs it releases and on a suspended one, which the ending commit left alone', async () => {
    const { me, taskId } = await taskWithConfig('/expiry');
    const dead = {
      ...pushConfig(taskId, { id: 'dead', url: `${receiver.origin}/dead` }),
      delivery: { lastDeliveredSeq: 0, consecutiveFailures: 5, suspended: true },
    };
    await store.putPushConfig(me, taskId, dead);
    const expiresAt = Math.floor(clock.now() / 1000) + 60;
    let before = meter.reading();
    await complete(me, taskId, expiresAt);
    // the read, then the commit: the snapshot, then the event; no config read or written (decision 76)
    const commit = meter.delta(before);
    expect(commit.requests).toBe(3);
    expect(commit.byCommand.TransactWriteItemsCommand).toBeUndefined();
    expect(commit.byCommand.QueryCommand).toBeUndefined();
    before = meter.reading();
    expect(await deliverTaskPushes(deps(store), me, taskId, 2)).toMatchObject({ delivered: 2, retry: false });
    // the read, the lease, the release with the cursor and the stamp, the suspended config's stamp
    expect(meter.delta(before).writeRequests).toBe(3);
    expect(states('/dead')).toEqual([]);
    expect((await store.listPushConfigs(me, taskId)).map((c) => c.config.id)).toEqual(['cfg', 'dead']);
    clock.advance(61_000);
    expect(await store.listPushConfigs(me, taskId)).toEqual([]);
    expect(await store.getPushConfig(me, taskId, 'cfg')).toBeUndefined();
  });
});
