/**
 * DynamoDB commits without a transaction (README decision 83): the snapshot update is the commit
 * and holds the commit's events as pending until the log has them. Here the event puts fail (a
 * crash between the update and the puts leaves the table the same way), and the reads and the
 * next commits must complete the log from the snapshot.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { eventSk, taskPk } from '../../adapters/dynamo/keys';
import { isoAt } from '../../core/ports/clock';
import { applyEvents } from '../../core/task-record';
import { artifact, commitRig, completed, working } from '../support/dynamo-commit-rig';
import { ctx, uniqueId } from '../support/factories';

const rig = commitRig('commit-pending');

describe('DynamoDB commit: events left pending', () => {
  it('commits when its event puts fail, and every read completes the log from the snapshot', async () => {
    const me = ctx(uniqueId('tenant'));
    rig.warnings.length = 0;
    const { task, stored } = await rig.afterFailedPuts(me, [working, artifact]);
    expect(rig.warnings).toEqual([expect.stringContaining('event puts failed after the commit')]);
    expect(await rig.logged(me, task.id)).toEqual([1]);
    const all = [...task.events, ...stored];
    expect(await rig.store.readEvents(me, task.id, 0)).toEqual(all);
    expect(await rig.otherProcess().readEvents(me, task.id, 0)).toEqual(all);
    expect(await rig.store.readEvents(me, task.id, 2)).toEqual([stored[1]]);
    expect(await rig.store.readEvents(me, task.id, 1, 1)).toEqual([stored[0]]);
    expect((await rig.store.readForDispatch(me, task.id, 1, 10))?.events).toEqual(stored);
  });

  it('has the next commit, in another process, write the events a failed commit left pending first', async () => {
    const me = ctx(uniqueId('tenant'));
    const { task, stored: first } = await rig.afterFailedPuts(me, [working, artifact]);
    const other = rig.otherProcess();
    const second = await rig.commit(other, me, task.id, [completed]);
    expect(await rig.logged(me, task.id)).toEqual([1, 2, 3, 4]);
    expect(await other.readEvents(me, task.id, 0)).toEqual([...task.events, ...first, ...second]);
  });

  it('has the same process, which saw its puts fail, write them before its next commit', async () => {
    const me = ctx(uniqueId('tenant'));
    const { task, stored: first } = await rig.afterFailedPuts(me, [working, artifact]);
    const second = await rig.commit(rig.store, me, task.id, [completed]);
    expect(await rig.logged(me, task.id)).toEqual([1, 2, 3, 4]);
    expect(await rig.otherProcess().readEvents(me, task.id, 0)).toEqual([
      ...task.events,
      ...first,
      ...second,
    ]);
  });

  it('does not take a page that skips a missing event for a full one', async () => {
    const me = ctx(uniqueId('tenant'));
    const { task, stored } = await rig.afterFailedPuts(me, [working, artifact], eventSk(2));
    expect(await rig.logged(me, task.id)).toEqual([1, 3]);
    // two items came back, 1 and 3: not a run of two, so the snapshot fills in event 2
    expect(await rig.store.readEvents(me, task.id, 0, 2)).toEqual([...task.events, stored[0]]);
  });

  it('stops a read at a gap that neither the log nor the snapshot fills, and says so', async () => {
    const me = ctx(uniqueId('tenant'));
    const task = await rig.createTask(me);
    await rig.commit(rig.store, me, task.id, [working, artifact]);
    // a broken invariant: an event of an earlier commit is gone from the log
    await rig.doc.send(
      new DeleteCommand({
        TableName: rig.tableName,
        Key: { PK: taskPk(me.principal.tenant, task.id), SK: eventSk(2) },
      }),
    );
    await rig.commit(rig.store, me, task.id, [completed]);
    rig.errors.length = 0;
    expect(await rig.store.readEvents(me, task.id, 0)).toEqual(task.events);
    expect(rig.errors).toEqual([expect.stringContaining('task log has a gap')]);
  });

  it('reads again when a later commit wrote a pending event after the read passed its place', async () => {
    const me = ctx(uniqueId('tenant'));
    const { task, stored: first } = await rig.afterFailedPuts(me, [working]);
    const second = await rig.commit(rig.otherProcess(), me, task.id, [artifact]);
    // the first read of the log misses event 2, as a read that passed its key before it was written
    let hide = true;
    rig.raw.middlewareStack.add(
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
      { step: 'initialize', name: rig.injected },
    );
    expect(await rig.store.readEvents(me, task.id, 0)).toEqual([...task.events, ...first, ...second]);
    expect(hide).toBe(false);
  });

  it('writes only the events a partly failed commit left out', async () => {
    const me = ctx(uniqueId('tenant'));
    const { task, stored: first } = await rig.afterFailedPuts(me, [working, artifact], eventSk(2));
    expect(await rig.logged(me, task.id)).toEqual([1, 3]);
    expect(await rig.store.readEvents(me, task.id, 0)).toEqual([...task.events, ...first]);
    const before = rig.otherMeter.reading();
    const second = await rig.commit(rig.otherProcess(), me, task.id, [completed]);
    // event 2, then its own event 4
    expect(rig.otherMeter.delta(before).byCommand.PutItemCommand?.requests).toBe(2);
    expect(await rig.logged(me, task.id)).toEqual([1, 2, 3, 4]);
    expect(await rig.store.readEvents(me, task.id, 0)).toEqual([...task.events, ...first, ...second]);
  });

  it('writes the events a failed commit left pending before a follow-up message commits in a transaction', async () => {
    const me = ctx(uniqueId('tenant'));
    const { task, stored: first } = await rig.afterFailedPuts(me, [working]);
    const read = await rig.store.get(me, task.id);
    if (!read) throw new Error('no task');
    const followUp = applyEvents(read, [artifact], isoAt(rig.clock.now()));
    await rig.otherProcess().commit(me, {
      taskId: task.id,
      expectedVersion: read.version,
      next: followUp.next,
      events: followUp.stored,
      idempotencyKey: uniqueId('msg'),
    });
    expect(await rig.logged(me, task.id)).toEqual([1, 2, 3]);
    expect(await rig.store.readEvents(me, task.id, 0)).toEqual([
      ...task.events,
      ...first,
      ...followUp.stored,
    ]);
  });
});
