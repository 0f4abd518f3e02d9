/**
 * The forwarding worker against a scripted remote client (no network): what it sends, when it
 * follows instead of sending, and what reaches the task log.
 */
import { describe, expect, it } from 'vitest';
import { MemoryTaskStore } from '../../../adapters/memory/memory-task-store';
import { TaskState } from '../../../core/a2a/task-state';
import type { Message, Task } from '../../../core/a2a/types';
import { AGENTS, type AgentDescriptor } from '../../../core/agent-catalog';
import { RetryableError } from '../../../core/errors';
import { systemClock } from '../../../core/ports/clock';
import {
  type RemoteAgentClient,
  type RemoteAgentDirectory,
  RemoteAgentUnavailableError,
} from '../../../core/ports/remote-agent-client';
import { REMOTE_TASK_METADATA_KEY, readRemoteBinding } from '../../../core/remote-agents';
import type { TaskRecord } from '../../../core/task-record';
import type { WorkMessage } from '../../../core/work-message';
import { runTask } from '../../../workers/agent-worker/run-task';
import { createAgentRegistry } from '../../../workers/agents/registry';
import { ctx, newTask, userMessage } from '../../support/factories';
import { memoryCheckpointers } from '../../support/gateway-harness';
import { digest, workerDeps } from '../../support/worker-fixtures';

const remoteAgent: AgentDescriptor = { ...(AGENTS[0] as AgentDescriptor), id: 'remote', name: 'Remote' };

function world(client: Partial<RemoteAgentClient>) {
  const sent: Message[] = [];
  const full: RemoteAgentClient = {
    streaming: false,
    send: async (m) => {
      sent.push(m);
      throw new Error('send was not scripted');
    },
    stream: () => {
      throw new Error('stream was not scripted');
    },
    getTask: async () => {
      throw new Error('getTask was not scripted');
    },
    cancel: async () => {
      throw new Error('cancel was not scripted');
    },
    ...client,
  };
  const directory: RemoteAgentDirectory = { has: (id) => id === 'remote', client: async () => full };
  const store = new MemoryTaskStore();
  const agents = createAgentRegistry(
    {
      resubscribeWaitMs: 50,
      remote: {
        directory,
        settings: { retry: { attempts: 2, baseMs: 1, maxMs: 1 }, poll: { initialMs: 1, maxMs: 1 } },
      },
    },
    [...AGENTS, remoteAgent],
  );
  const deps = workerDeps({ store, checkpointers: memoryCheckpointers(), clock: systemClock, agents });
  return { store, deps, sent };
}

const me = ctx('tenant-r');
const snapshot = (state: string, parts: string[] = []): Task => ({
  id: 'r-1',
  contextId: 'rc-1',
  status: { state: state as Task['status']['state'] },
  ...(parts.length > 0
    ? { artifacts: [{ artifactId: 'report', parts: parts.map((text) => ({ text })) }] }
    : {}),
});

async function submit(
  store: MemoryTaskStore,
  metadata?: (taskId: string, messageId: string) => Record<string, unknown>,
) {
  const message = userMessage('weather in Paris');
  const input = newTask({ tenant: 'tenant-r', agentId: 'remote' }, message);
  if (metadata) input.task.metadata = metadata(input.task.id, message.messageId);
  await store.create(me, input);
  return {
    taskId: input.task.id,
    work: { v: 1 as const, tenant: 'tenant-r', taskId: input.task.id, seq: 1 },
  };
}

describe('the forwarding worker', () => {
  it('follows the remote task of a turn it already forwarded (a redelivery) instead of sending again', async () => {
    const { store, deps, sent } = world({ getTask: async () => snapshot(TaskState.Completed, ['sunny']) });
    const { taskId, work } = await submit(store, (id, turn) => ({
      [REMOTE_TASK_METADATA_KEY]: {
        localTaskId: id,
        agentId: 'remote',
        taskId: 'r-1',
        contextId: 'rc-1',
        turn,
      },
    }));
    await runTask(deps, work);
    const task = await store.get(me, taskId);
    expect(task?.status.state).toBe(TaskState.Completed);
    expect(task?.artifacts).toEqual([{ artifactId: 'report', parts: [{ text: 'sunny' }] }]);
    expect(sent).toEqual([]);
  });

  it('ignores a remote binding a client wrote into the metadata, and sends the message as a new remote task', async () => {
    const sentTo: (string | undefined)[] = [];
    const { store, deps } = world({
      send: async (m) => {
        sentTo.push(m.taskId);
        return { task: snapshot(TaskState.Completed) };
      },
    });
    const { work } = await submit(store, (_id, turn) => ({
      [REMOTE_TASK_METADATA_KEY]: {
        localTaskId: 'guessed',
        agentId: 'remote',
        taskId: 'someone-elses',
        turn,
      },
    }));
    await runTask(deps, work);
    expect(sentTo).toEqual([undefined]);
  });

  it('appends each change of a polled remote task once, growing artifacts as append chunks', async () => {
    const polls = [
      snapshot(TaskState.Working, ['a']),
      snapshot(TaskState.Working, ['a']),
      snapshot(TaskState.Working, ['a', 'b']),
      snapshot(TaskState.Completed, ['a', 'b']),
    ];
    const { store, deps } = world({
      send: async () => ({ task: snapshot(TaskState.Submitted) }),
      getTask: async () => polls.shift() ?? snapshot(TaskState.Completed, ['a', 'b']),
    });
    const { taskId, work } = await submit(store);
    await runTask(deps, work);
    const log = (await store.readEvents(me, taskId, 0)).map(digest);
    expect(log).toEqual([
      'status TASK_STATE_SUBMITTED [] weather in Paris',
      'status TASK_STATE_WORKING [] ',
      'status TASK_STATE_WORKING [] ',
      'artifact report append=undefined last=undefined [a]',
      'artifact report append=true last=undefined [b]',
      'status TASK_STATE_COMPLETED [] ',
    ]);
  });

  it('gives up on an unavailable remote after the configured attempts and fails the task', async () => {
    let attempts = 0;
    const { store, deps } = world({
      send: async () => {
        attempts += 1;
        throw new RemoteAgentUnavailableError('answered HTTP 503');
      },
    });
    const { taskId, work } = await submit(store);
    expect(await runTask(deps, work)).toBe('failed-permanently');
    const task = await store.get(me, taskId);
    expect(task?.status.state).toBe(TaskState.Failed);
    expect(task?.status.message?.parts).toEqual([
      { text: 'The remote agent remote is unavailable: it answered HTTP 503 (gave up after 2 attempts)' },
    ]);
    expect(attempts).toBe(2);
  });

  it('continues in a fresh work message when the invocation runs short, and the next run follows the remote task', async () => {
    let polls = 0;
    const { store, deps, sent } = world({
      send: async (m) => {
        sent.push(m);
        return { task: snapshot(TaskState.Working) };
      },
      getTask: async () => {
        polls += 1;
        return snapshot(TaskState.Completed, ['sunny']);
      },
    });
    const { taskId, work } = await submit(store);
    const requeued: { work: WorkMessage; delaySeconds: number }[] = [];
    const outcome = await runTask(deps, work, {
      timeLeftMs: () => 10_000, // below the 45 s margin: stop after the send
      requeue: async (next, delaySeconds) => void requeued.push({ work: next, delaySeconds }),
    });
    expect(outcome).toBe('done');
    const waiting = await store.get(me, taskId);
    expect(waiting?.status.state).toBe(TaskState.Working);
    expect(waiting?.lease).toBeUndefined();
    const binding = readRemoteBinding(waiting as TaskRecord);
    expect(binding).toMatchObject({ taskId: 'r-1', turnStartedAt: expect.any(Number) });
    expect(requeued).toEqual([{ work: { ...work, seq: waiting?.version }, delaySeconds: 1 }]);
    expect(polls).toBe(0);

    expect(await runTask(deps, requeued[0]?.work as WorkMessage)).toBe('done');
    const done = await store.get(me, taskId);
    expect(done?.status.state).toBe(TaskState.Completed);
    expect(readRemoteBinding(done as TaskRecord)?.turnStartedAt).toBe(binding?.turnStartedAt);
    expect(sent).toHaveLength(1);
  });

  it('returns the message to the queue when it cannot enqueue a continuation, and fails nothing', async () => {
    const { store, deps } = world({ send: async () => ({ task: snapshot(TaskState.Working) }) });
    const { taskId, work } = await submit(store);
    await expect(runTask(deps, work, { timeLeftMs: () => 10_000 })).rejects.toBeInstanceOf(RetryableError);
    expect((await store.get(me, taskId))?.status.state).toBe(TaskState.Working);
  });
});

describe('the forwarding worker and a cancel it has not read', () => {
  it('cancels the remote task and the local one when the remote asks for input after a cancel request', async () => {
    const canceled: string[] = [];
    const { store, deps } = world({
      send: async () => ({ task: snapshot(TaskState.InputRequired) }),
      cancel: async (id) => {
        canceled.push(id);
        return snapshot(TaskState.Canceled);
      },
    });
    // The cancel lands after the run's last look, just before it records the remote's question.
    const racing = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'commit') {
          return async (...args: Parameters<MemoryTaskStore['commit']>) => {
            if (args[1].next.status.state === TaskState.InputRequired)
              await target.requestCancel(me, args[1].taskId);
            return target.commit(...args);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    const { taskId, work } = await submit(store);
    await runTask({ ...deps, store: racing }, work);
    expect((await store.get(me, taskId))?.status.state).toBe(TaskState.Canceled);
    expect(canceled).toEqual(['r-1']);
  });
});
