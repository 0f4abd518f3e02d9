import { describe, expect, it } from 'vitest';
import { TaskState } from '../../../core/a2a/task-state';
import type { Task } from '../../../core/a2a/types';
import { derivedId, snapshotEvents, statusEvents } from '../../../workers/agents/remote/remote-event-mapper';
import { taskRecord } from '../../support/factories';

const working = () => taskRecord({ status: { state: TaskState.Working } });
const remoteTask = (extra: Partial<Task> = {}): Task => ({
  id: 'r-1',
  contextId: 'rc-1',
  status: { state: TaskState.Working },
  ...extra,
});

describe('mapping a remote snapshot onto the local task', () => {
  it('appends nothing when the snapshot shows nothing new (polling the same state twice)', () => {
    const local = working();
    local.artifacts = [{ artifactId: 'a', parts: [{ text: 'x' }] }];
    expect(
      snapshotEvents(local, remoteTask({ artifacts: [{ artifactId: 'a', parts: [{ text: 'x' }] }] })),
    ).toEqual([]);
  });

  it('maps remote SUBMITTED to local WORKING, which the local task already is', () => {
    expect(snapshotEvents(working(), remoteTask({ status: { state: TaskState.Submitted } }))).toEqual([]);
  });

  it('appends a new artifact, and only the new parts of a grown one as an append chunk', () => {
    const local = working();
    local.artifacts = [{ artifactId: 'a', name: 'report', parts: [{ text: 'one' }] }];
    const events = snapshotEvents(
      local,
      remoteTask({
        artifacts: [
          { artifactId: 'a', name: 'report', parts: [{ text: 'one' }, { text: 'two' }] },
          { artifactId: 'b', parts: [{ data: { k: 1 } }] },
        ],
      }),
    );
    expect(events).toEqual([
      {
        kind: 'artifact',
        artifact: { artifactId: 'a', name: 'report', parts: [{ text: 'two' }] },
        append: true,
      },
      { kind: 'artifact', artifact: { artifactId: 'b', parts: [{ data: { k: 1 } }] } },
    ]);
  });

  it('replaces an artifact that changed other than by growing', () => {
    const local = working();
    local.artifacts = [{ artifactId: 'a', parts: [{ text: 'draft' }] }];
    const artifact = { artifactId: 'a', parts: [{ text: 'final' }] };
    expect(snapshotEvents(local, remoteTask({ artifacts: [artifact] }))).toEqual([
      { kind: 'artifact', artifact, append: false },
    ]);
  });

  it('appends a status once per remote status message, with an id derived from the remote one', () => {
    const local = working();
    const status = {
      state: TaskState.InputRequired,
      message: { messageId: 'q-1', role: 'ROLE_AGENT' as const, parts: [{ text: 'Which city?' }] },
    };
    const events = statusEvents(local, status);
    expect(events).toEqual([
      {
        kind: 'status',
        state: TaskState.InputRequired,
        message: { messageId: derivedId(local.id, 'q-1'), parts: [{ text: 'Which city?' }] },
      },
    ]);
    local.status = {
      state: TaskState.InputRequired,
      message: { messageId: derivedId(local.id, 'q-1'), role: 'ROLE_AGENT', parts: [] },
    };
    expect(statusEvents(local, status)).toEqual([]);
  });

  it('derives different ids for different local tasks, so two tasks never share a message id', () => {
    expect(derivedId('t-1', 'm')).not.toBe(derivedId('t-2', 'm'));
    expect(derivedId('t-1', 'm')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
