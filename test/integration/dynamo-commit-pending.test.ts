/**
 * DynamoDB commits without a transaction (README decision 83): the snapshot update is the commit
 * and holds the commit's events as pending until the log has them. Here the event puts fail (a
 * crash between the update and the puts leaves the table the same way), an update's answer is
 * lost, two commits race, and a commit is too large to carry its events in the snapshot.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PENDING_BYTES } from '../../adapters/dynamo/commit-task';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { EVENT_PREFIX, eventSk, taskPk } from '../../adapters/dynamo/keys';
import { TaskState } from '../../core/a2a/task-state';
import type { RequestContext } from '../../core/context';
import { VersionConflictError } from '../../core/errors';
import { isoAt } from '../../core/ports/clock';
import { type Logger, silentLogger } from '../../core/ports/logger';
import { applyEvents, type StoredEvent, type TaskEvent } from '../../core/task-record';
import { meterDynamo } from '../../scripts/bench/dynamo-metering';
import { localDynamoClient, useStoreTable } from '../support/dynamo-client';
import { ctx, newTask, pushConfig, testClock, uniqueId } from '../support/factories';

const tableName = `commit-pending-${randomUUID()}`;
const raw = localDynamoClient();
const meter = meterDynamo(raw);
const doc = DynamoDBDocumentClient.from(raw);
const clock = testClock();
const warnings: string[] = [];
const errors: string[] = [];
const logger: Logger = {
  ...silentLogger,
  warn: (_obj, msg) => {
    warnings.push(String(msg));
  },
  error: (_obj, msg) => {
    errors.push(String(msg));
  },
};
const store = new DynamoTaskStore({ client: doc, tableName, clock, logger });
/** Another process on the same table: its own client (no injected failures) and no knowledge of the logs. */
const otherRaw = localDynamoClient();
const otherMeter = meterDynamo(otherRaw);
const otherProcess = () =>
  new DynamoTaskStore({ client: DynamoDBDocumentClient.from(otherRaw), tableName, clock });

useStoreTable(raw, tableName);

const FAIL = 'failWrites';
afterEach(() => {
  raw.middlewareStack.remove(FAIL);
});

/**
 * Every PutItem (or the one of the item with sort key `sk`) fails before it is sent, as if the
 * process died after the snapshot update.
 */
function failPutOf(sk?: string): void {
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const item = (args.input as { Item?: { SK?: unknown } }).Item;
      if (context.commandName === 'PutItemCommand' && (sk === undefined || item?.SK === sk)) {
        throw Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' });
      }
      return next(args);
    },
    { step: 'initialize', name: FAIL },
  );
}

async function createTask(me: RequestContext): Promise<{ id: string; events: StoredEvent[] }> {
  const input = newTask({ tenant: me.principal.tenant });
  await store.create(me, input);
  return { id: input.task.id, events: input.events };
}

async function commit(on: DynamoTaskStore, me: RequestContext, id: string, events: TaskEvent[]) {
  const task = await on.get(me, id);
  if (!task) throw new Error('no task');
  const { next, stored } = applyEvents(task, events, isoAt(clock.now()));
  await on.commit(me, { taskId: id, expectedVersion: task.version, next, events: stored });
  return stored;
}

/**
 * The next UpdateItem lands and its answer is lost: `meanwhile` runs, then the request is sent
 * again, as the SDK resends one whose answer it did not get, and that resend's answer counts.
 */
function loseFirstUpdateAnswer(meanwhile: () => Promise<void>): { resent: boolean } {
  const state = { resent: false };
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'UpdateItemCommand' || state.resent) return next(args);
      state.resent = true;
      await next(args);
      await meanwhile();
      return next(args);
    },
    { step: 'initialize', name: FAIL },
  );
  return state;
}

/** A task whose commit of `events` lost every event put: they are pending in its snapshot only. */
async function afterFailedPuts(me: RequestContext, events: TaskEvent[]) {
  const task = await createTask(me);
  failPutOf();
  try {
    return { task, stored: await commit(store, me, task.id, events) };
  } finally {
    raw.middlewareStack.remove(FAIL);
  }
}

/** The seqs of the event items the log holds, read from the table. */
async function logged(me: RequestContext, id: string): Promise<number[]> {
  const out = await doc.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :evt)',
      ExpressionAttributeValues: { ':pk': taskPk(me.principal.tenant, id), ':evt': EVENT_PREFIX },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => Number(i.seq));
}

const working: TaskEvent = { kind: 'status', status: { state: TaskState.Working } };
const artifact: TaskEvent = {
  kind: 'artifact',
  artifact: { artifactId: 'a', parts: [{ text: 'the answer' }] },
  lastChunk: true,
};
const completed: TaskEvent = { kind: 'status', status: { state: TaskState.Completed } };

describe('DynamoDB commit without a transaction', () => {
  it('commits when its event puts fail, and every read completes the log from the snapshot', async () => {
    const me = ctx(uniqueId('tenant'));
    warnings.length = 0;
    const { task, stored } = await afterFailedPuts(me, [working, artifact]);
    expect(warnings).toEqual([expect.stringContaining('event puts failed after the commit')]);
    expect(await logged(me, task.id)).toEqual([1]);
    const all = [...task.events, ...stored];
    expect(await store.readEvents(me, task.id, 0)).toEqual(all);
    expect(await otherProcess().readEvents(me, task.id, 0)).toEqual(all);
    expect(await store.readEvents(me, task.id, 2)).toEqual([stored[1]]);
    expect(await store.readEvents(me, task.id, 1, 1)).toEqual([stored[0]]);
    expect((await store.readForDispatch(me, task.id, 1, 10))?.events).toEqual(stored);
  });

  it('has the next commit, in another process, write the events a failed commit left pending first', async () => {
    const me = ctx(uniqueId('tenant'));
    const { task, stored: first } = await afterFailedPuts(me, [working, artifact]);
    const other = otherProcess();
    const second = await commit(other, me, task.id, [completed]);
    expect(await logged(me, task.id)).toEqual([1, 2, 3, 4]);
    expect(await other.readEvents(me, task.id, 0)).toEqual([...task.events, ...first, ...second]);
  });

  it('has the same process, which saw its puts fail, write them before its next commit', async () => {
    const me = ctx(uniqueId('tenant'));
    const { task, stored: first } = await afterFailedPuts(me, [working, artifact]);
    const second = await commit(store, me, task.id, [completed]);
    expect(await logged(me, task.id)).toEqual([1, 2, 3, 4]);
    expect(await otherProcess().readEvents(me, task.id, 0)).toEqual([...task.events, ...first, ...second]);
  });

  it('does not take a page that skips a missing event for a full one', async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await createTask(me);
    failPutOf(eventSk(2));
    const stored = await commit(store, me, task.id, [working, artifact]);
    raw.middlewareStack.remove(FAIL);
    expect(await logged(me, task.id)).toEqual([1, 3]);
    // two items came back, 1 and 3: not a run of two, so the snapshot fills in event 2
    expect(await store.readEvents(me, task.id, 0, 2)).toEqual([...task.events, stored[0]]);
  });

  it('stops a read at a gap that neither the log nor the snapshot fills, and says so', async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await createTask(me);
    await commit(store, me, task.id, [working, artifact]);
    // a broken invariant: an event of an earlier commit is gone from the log
    await doc.send(
      new DeleteCommand({
        TableName: tableName,
        Key: { PK: taskPk(me.principal.tenant, task.id), SK: eventSk(2) },
      }),
    );
    await commit(store, me, task.id, [completed]);
    errors.length = 0;
    expect(await store.readEvents(me, task.id, 0)).toEqual(task.events);
    expect(errors).toEqual([expect.stringContaining('task log has a gap')]);
  });

  it('reads again when a later commit wrote a pending event after the read passed its place', async () => {
    const me = ctx(uniqueId('tenant'));
    const { task, stored: first } = await afterFailedPuts(me, [working]);
    const second = await commit(otherProcess(), me, task.id, [artifact]);
    // the first read of the log misses event 2, as a read that passed its key before it was written
    let hide = true;
    raw.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName !== 'QueryCommand' || !hide) return out;
        hide = false;
        // the DocumentClient's items (unmarshalled by the time they pass here)
        const output = out.output as { Items?: { SK?: unknown }[] };
        const before = output.Items?.length ?? 0;
        output.Items = (output.Items ?? []).filter((i) => i.SK !== eventSk(2));
        expect(output.Items.length).toBe(before - 1);
        return out;
      },
      { step: 'initialize', name: FAIL },
    );
    expect(await store.readEvents(me, task.id, 0)).toEqual([...task.events, ...first, ...second]);
    expect(hide).toBe(false);
  });

  it('writes no event of a commit that lost the race for the snapshot', async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await createTask(me);
    const read = await store.get(me, task.id);
    if (!read) throw new Error('no task');
    const winner = await commit(otherProcess(), me, task.id, [working]);
    const late = applyEvents(read, [artifact], isoAt(clock.now()));
    await expect(
      store.commit(me, {
        taskId: task.id,
        expectedVersion: read.version,
        next: late.next,
        events: late.stored,
      }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect(await logged(me, task.id)).toEqual([1, 2]);
    expect(await store.readEvents(me, task.id, 0)).toEqual([...task.events, ...winner]);
  });

  it("counts an update whose answer was lost as the commit's own when the SDK's resend is refused", async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await createTask(me);
    // the update lands, its answer is lost, and the resend finds the version it wrote
    const lost = loseFirstUpdateAnswer(async () => {});
    const stored = await commit(store, me, task.id, [working, artifact]);
    expect(lost.resent).toBe(true);
    expect(await logged(me, task.id)).toEqual([1, 2, 3]);
    expect(await store.readEvents(me, task.id, 0)).toEqual([...task.events, ...stored]);
  });

  it('recognises its own events whatever the key order of the objects it was given', async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await createTask(me);
    const read = await store.get(me, task.id);
    if (!read) throw new Error('no task');
    const { next, stored } = applyEvents(read, [working], isoAt(clock.now()));
    // a writer that builds its events with another key order than the log reads them back in;
    // another process's commit moves them from the snapshot's pending into the log before the resend
    const events = stored.map(({ seq, at, event }) => ({ event, at, seq }));
    let later: StoredEvent[] = [];
    loseFirstUpdateAnswer(async () => {
      later = await commit(otherProcess(), me, task.id, [artifact]);
    });
    await store.commit(me, { taskId: task.id, expectedVersion: read.version, next, events });
    expect(await store.readEvents(me, task.id, 0)).toEqual([...task.events, ...stored, ...later]);
  });

  it('counts a lost answer as its own even when another commit followed before the resend', async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await createTask(me);
    let later: StoredEvent[] = [];
    // another process commits before the SDK sends the update again
    loseFirstUpdateAnswer(async () => {
      later = await commit(otherProcess(), me, task.id, [artifact]);
    });
    const stored = await commit(store, me, task.id, [working]);
    expect(later).toHaveLength(1);
    expect(await store.readEvents(me, task.id, 0)).toEqual([...task.events, ...stored, ...later]);
  });

  it('refuses a commit without events that its conditions refuse: no resend to recognise', async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await createTask(me);
    const read = await store.get(me, task.id);
    if (!read) throw new Error('no task');
    // a push config registered after the read: the commit's hasPush condition refuses it
    await store.putPushConfig(me, task.id, pushConfig(task.id));
    const next = { ...read, metadata: { note: 'from a stale read' } };
    await expect(
      store.commit(me, { taskId: task.id, expectedVersion: read.version, next, events: [] }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect((await store.get(me, task.id))?.metadata).toBeUndefined();
  });

  it('writes only the events a partly failed commit left out', async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await createTask(me);
    failPutOf(eventSk(2));
    const first = await commit(store, me, task.id, [working, artifact]);
    raw.middlewareStack.remove(FAIL);
    expect(await logged(me, task.id)).toEqual([1, 3]);
    expect(await store.readEvents(me, task.id, 0)).toEqual([...task.events, ...first]);
    const before = otherMeter.reading();
    const second = await commit(otherProcess(), me, task.id, [completed]);
    // event 2, then its own event 4
    expect(otherMeter.delta(before).byCommand.PutItemCommand?.requests).toBe(2);
    expect(await logged(me, task.id)).toEqual([1, 2, 3, 4]);
    expect(await store.readEvents(me, task.id, 0)).toEqual([...task.events, ...first, ...second]);
  });

  it('writes the events a failed commit left pending before a follow-up message commits in a transaction', async () => {
    const me = ctx(uniqueId('tenant'));
    const { task, stored: first } = await afterFailedPuts(me, [working]);
    const read = await store.get(me, task.id);
    if (!read) throw new Error('no task');
    const followUp = applyEvents(read, [artifact], isoAt(clock.now()));
    await otherProcess().commit(me, {
      taskId: task.id,
      expectedVersion: read.version,
      next: followUp.next,
      events: followUp.stored,
      idempotencyKey: uniqueId('msg'),
    });
    expect(await logged(me, task.id)).toEqual([1, 2, 3]);
    expect(await store.readEvents(me, task.id, 0)).toEqual([...task.events, ...first, ...followUp.stored]);
  });

  it('commits in a transaction when its events are too large to keep in the snapshot', async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await createTask(me);
    const big: TaskEvent = {
      kind: 'artifact',
      artifact: { artifactId: 'big', parts: [{ text: 'x'.repeat(MAX_PENDING_BYTES) }] },
      lastChunk: true,
    };
    const before = meter.reading();
    const stored = await commit(store, me, task.id, [big]);
    const reading = meter.delta(before);
    expect(reading.byCommand.TransactWriteItemsCommand?.requests).toBe(1);
    expect(reading.byCommand.PutItemCommand).toBeUndefined();
    expect(await logged(me, task.id)).toEqual([1, 2]);
    expect(await store.readEvents(me, task.id, 0)).toEqual([...task.events, ...stored]);
  });
});
