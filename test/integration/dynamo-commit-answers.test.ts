/**
 * DynamoDB commits without a transaction (README decision 83): what a refused snapshot update
 * means. An update whose answer was lost and whose resend was refused is the commit's own; a
 * commit that lost the race, or that its conditions refuse, is a conflict and writes nothing; a
 * commit too large to keep its events in the snapshot goes through a transaction.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PENDING_BYTES } from '../../adapters/dynamo/commit-task';
import { VersionConflictError } from '../../core/errors';
import { isoAt } from '../../core/ports/clock';
import { applyEvents, type StoredEvent, type TaskEvent } from '../../core/task-record';
import { artifact, commitRig, working } from '../support/dynamo-commit-rig';
import { ctx, pushConfig, uniqueId } from '../support/factories';

const rig = commitRig('commit-answers');

describe('DynamoDB commit: refused updates', () => {
  it('writes no event of a commit that lost the race for the snapshot', async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await rig.createTask(me);
    const read = await rig.store.get(me, task.id);
    if (!read) throw new Error('no task');
    const winner = await rig.commit(rig.otherProcess(), me, task.id, [working]);
    const late = applyEvents(read, [artifact], isoAt(rig.clock.now()));
    await expect(
      rig.store.commit(me, {
        taskId: task.id,
        expectedVersion: read.version,
        next: late.next,
        events: late.stored,
      }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect(await rig.logged(me, task.id)).toEqual([1, 2]);
    expect(await rig.store.readEvents(me, task.id, 0)).toEqual([...task.events, ...winner]);
  });

  it("counts an update whose answer was lost as the commit's own when the SDK's resend is refused", async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await rig.createTask(me);
    // the update lands, its answer is lost, and the resend finds the version it wrote
    const lost = rig.loseFirstUpdateAnswer(async () => {});
    const stored = await rig.commit(rig.store, me, task.id, [working, artifact]);
    expect(lost.resent).toBe(true);
    expect(await rig.logged(me, task.id)).toEqual([1, 2, 3]);
    expect(await rig.store.readEvents(me, task.id, 0)).toEqual([...task.events, ...stored]);
  });

  it('recognises its own events whatever the key order of the objects it was given', async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await rig.createTask(me);
    const read = await rig.store.get(me, task.id);
    if (!read) throw new Error('no task');
    const { next, stored } = applyEvents(read, [working], isoAt(rig.clock.now()));
    // a writer that builds its events with another key order than the log reads them back in;
    // another process's commit moves them from the snapshot's pending into the log before the resend
    const events = stored.map(({ seq, at, event }) => ({ event, at, seq }));
    let later: StoredEvent[] = [];
    rig.loseFirstUpdateAnswer(async () => {
      later = await rig.commit(rig.otherProcess(), me, task.id, [artifact]);
    });
    await rig.store.commit(me, { taskId: task.id, expectedVersion: read.version, next, events });
    expect(await rig.store.readEvents(me, task.id, 0)).toEqual([...task.events, ...stored, ...later]);
  });

  it('counts a lost answer as its own even when another commit followed before the resend', async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await rig.createTask(me);
    let later: StoredEvent[] = [];
    // another process commits before the SDK sends the update again
    rig.loseFirstUpdateAnswer(async () => {
      later = await rig.commit(rig.otherProcess(), me, task.id, [artifact]);
    });
    const stored = await rig.commit(rig.store, me, task.id, [working]);
    expect(later).toHaveLength(1);
    expect(await rig.store.readEvents(me, task.id, 0)).toEqual([...task.events, ...stored, ...later]);
  });

  it('refuses a commit without events that its conditions refuse: no resend to recognise', async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await rig.createTask(me);
    const read = await rig.store.get(me, task.id);
    if (!read) throw new Error('no task');
    // a push config registered after the read: the commit's hasPush condition refuses it
    await rig.store.putPushConfig(me, task.id, pushConfig(task.id));
    const next = { ...read, metadata: { note: 'from a stale read' } };
    await expect(
      rig.store.commit(me, { taskId: task.id, expectedVersion: read.version, next, events: [] }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect((await rig.store.get(me, task.id))?.metadata).toBeUndefined();
  });

  it('commits in a transaction when its events are too large to keep in the snapshot', async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await rig.createTask(me);
    const big: TaskEvent = {
      kind: 'artifact',
      artifact: { artifactId: 'big', parts: [{ text: 'x'.repeat(MAX_PENDING_BYTES) }] },
      lastChunk: true,
    };
    const before = rig.meter.reading();
    const stored = await rig.commit(rig.store, me, task.id, [big]);
    const reading = rig.meter.delta(before);
    expect(reading.byCommand.TransactWriteItemsCommand?.requests).toBe(1);
    expect(reading.byCommand.PutItemCommand).toBeUndefined();
    expect(await rig.logged(me, task.id)).toEqual([1, 2]);
    expect(await rig.store.readEvents(me, task.id, 0)).toEqual([...task.events, ...stored]);
  });
});
