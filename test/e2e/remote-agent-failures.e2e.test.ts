/**
 * Remote agents that fail: malformed JSON, a result that is not valid A2A (plain and streamed), a
 * remote that hangs, one that goes down, and ones that are down when the gateway starts. Each
 * local task ends FAILED with a reason of ours, and nothing the remote sent reaches the client.
 */
import { type Task, TaskState } from '@a2a-js/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkMessage, sendParams } from '../support/a2a-sdk-client';
import { type BrokenAgent, startBrokenAgent } from '../support/broken-a2a-agent';
import { type RemoteAgentServer, startRemoteAgent } from '../support/remote-a2a-agent';
import { type RemoteStack, startRemoteStack, textOf } from '../support/remote-stack';
import { refusedPort } from '../support/webhook-receivers';

let notJson: BrokenAgent;
let invalidTask: BrokenAgent;
let invalidStream: BrokenAgent;
let hanging: BrokenAgent;
let goesDown: RemoteAgentServer;
let rs: RemoteStack;

beforeAll(async () => {
  [notJson, invalidTask, invalidStream, hanging] = await Promise.all([
    startBrokenAgent('not-json'),
    startBrokenAgent('invalid-task'),
    startBrokenAgent('invalid-stream'),
    startBrokenAgent('hang'),
  ]);
  goesDown = await startRemoteAgent({ streaming: false });
  const nowhere = `http://127.0.0.1:${await refusedPort()}/.well-known/agent-card.json`;
  rs = await startRemoteStack([
    { id: 'not-json', cardUrl: notJson.cardUrl },
    { id: 'invalid-task', cardUrl: invalidTask.cardUrl },
    { id: 'invalid-stream', cardUrl: invalidStream.cardUrl },
    { id: 'hanging', cardUrl: hanging.cardUrl },
    { id: 'goes-down', cardUrl: goesDown.cardUrl },
    { id: 'down-named', cardUrl: nowhere, name: 'Down But Named', description: 'Configured while down' },
    { id: 'down-unnamed', cardUrl: nowhere },
  ]);
});
afterAll(async () => {
  await rs?.stop();
  await Promise.all([notJson, invalidTask, invalidStream, hanging, goesDown].map((r) => r?.close()));
});

async function failedTask(agentId: string, text = 'weather in Paris'): Promise<Task> {
  const client = await rs.client(agentId);
  const task = (await client.sendMessage(sendParams(sdkMessage(text)))) as Task;
  expect(task.status?.state).toBe(TaskState.TASK_STATE_FAILED);
  expect(task.artifacts).toEqual([]);
  // the user's message and our failure message: nothing of the remote's
  expect(task.history.map((m) => textOf(m.parts))).toEqual([text, textOf(task.status?.message?.parts)]);
  return task;
}

describe('a remote agent that fails', () => {
  it('ends the task FAILED as an invalid agent response when the remote answers malformed JSON', async () => {
    const task = await failedTask('not-json');
    expect(textOf(task.status?.message?.parts)).toBe(
      'Invalid agent response (INVALID_AGENT_RESPONSE, -32006): the remote agent not-json answered with a body that is not JSON',
    );
  });

  it('ends the task FAILED, passing nothing on, when the remote answers a task that is not valid A2A', async () => {
    const task = await failedTask('invalid-task');
    const reason = textOf(task.status?.message?.parts);
    expect(reason).toMatch(
      /^Invalid agent response \(INVALID_AGENT_RESPONSE, -32006\): .* invalid task \(status\.state must be one of TASK_STATE_SUBMITTED, .* \(got "UNRECOGNIZED"\)\)$/,
    );
    expect(JSON.stringify(task)).not.toContain('leaked remote text');
  });

  it('ends the task FAILED when a streamed event is not valid A2A', async () => {
    const task = await failedTask('invalid-stream');
    expect(textOf(task.status?.message?.parts)).toMatch(
      /^Invalid agent response .* invalid statusUpdate \(taskId: /,
    );
  });

  it('retries a remote that does not answer a bounded number of times, then fails the task', async () => {
    const task = await failedTask('hanging');
    expect(textOf(task.status?.message?.parts)).toBe(
      'The remote agent hanging is unavailable: it did not answer within 1500 ms (gave up after 3 attempts)',
    );
    expect(hanging.rpcCalls).toBe(3);
  });

  it('retries a remote that went down, then fails the task', async () => {
    await goesDown.close();
    const task = await failedTask('goes-down');
    expect(textOf(task.status?.message?.parts)).toBe(
      'The remote agent goes-down is unavailable: it could not be reached (ECONNREFUSED) (gave up after 3 attempts)',
    );
  });

  it('serves a card from the config for a remote that was down at startup, and fails its tasks while it is', async () => {
    const res = await fetch(`${rs.stack.url}/agents/down-named/.well-known/agent-card.json`);
    expect(await res.json()).toMatchObject({ name: 'Down But Named', description: 'Configured while down' });
    const task = await failedTask('down-named');
    expect(textOf(task.status?.message?.parts)).toBe(
      'The remote agent down-named is unavailable: it did not serve its card (gave up after 3 attempts)',
    );
  });

  it('skips, with a log line, a remote that was down at startup and has no name in the config', async () => {
    const res = await fetch(`${rs.stack.url}/agents/down-unnamed/.well-known/agent-card.json`);
    expect(res.status).toBe(404);
    expect(rs.logs).toContainEqual(
      expect.objectContaining({
        agentId: 'down-unnamed',
        msg: 'remote agent skipped: its card is unreachable and the config gives no name',
      }),
    );
  });
});
