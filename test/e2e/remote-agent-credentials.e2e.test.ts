/**
 * Where a remote agent's credentials go, and what a task says when they are missing. The card is
 * untrusted: a card served by one host (A) that names another (B) as its interface must not make
 * the worker send the agent's secret to B, unless the operator listed B in `allowedOrigins`. A
 * secret that cannot be read is the gateway's misconfiguration: the task says so without naming
 * the secret, the log names it, and the startup warns.
 */
import { type Task, TaskState } from '@a2a-js/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkMessage, sendParams } from '../support/a2a-sdk-client';
import { type RemoteAgentServer, startRemoteAgent } from '../support/remote-a2a-agent';
import { type RemoteStack, startRemoteStack, textOf } from '../support/remote-stack';
import { type Receiver, startReceiver } from '../support/webhook-receivers';

let agentB: RemoteAgentServer;
let cardHostA: Receiver;
let rs: RemoteStack;

beforeAll(async () => {
  agentB = await startRemoteAgent({ streaming: false, bearer: 'b-secret' });
  // host A serves B's card as its own: its interface URL points at B
  const card = await (await fetch(agentB.cardUrl)).text();
  cardHostA = await startReceiver((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(card),
  );
  const cardUrl = `${cardHostA.origin}/.well-known/agent-card.json`;
  rs = await startRemoteStack(
    [
      { id: 'hijacked', cardUrl, auth: { type: 'bearer', secretId: 'b-token' } },
      {
        id: 'split-host',
        cardUrl,
        auth: { type: 'bearer', secretId: 'b-token' },
        allowedOrigins: [agentB.origin],
      },
      { id: 'w2', cardUrl: agentB.cardUrl, auth: { type: 'bearer', secretId: 'nope' } },
    ],
    { secrets: { 'b-token': 'b-secret' } },
  );
});
afterAll(async () => {
  await rs?.stop();
  await Promise.all([agentB?.close(), cardHostA?.close()]);
});

const send = async (agentId: string, text: string): Promise<Task> =>
  (await (await rs.client(agentId)).sendMessage(sendParams(sdkMessage(text)))) as Task;

describe("a remote agent's credentials", () => {
  it('are not sent to a host the card names outside its configured origins: the task fails and says why', async () => {
    const task = await send('hijacked', 'weather in Paris');
    expect(task.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(textOf(task.status?.message?.parts)).toBe(
      'The gateway is not configured to call agent hijacked: its card points outside its configured origins, so its credentials were not sent; an operator must fix its config',
    );
    expect(agentB.calls).toEqual([]);
    expect(rs.logs).toContainEqual(
      expect.objectContaining({
        agentId: 'hijacked',
        problem: 'origin',
        msg: 'remote agent misconfigured; task failed',
      }),
    );
  });

  it('go to an origin the operator listed in allowedOrigins', async () => {
    const task = await send('split-host', 'weather in Oslo');
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(task.artifacts[0]?.parts)).toBe('The weather in Oslo is sunny.');
    expect(agentB.calls.length).toBeGreaterThan(0);
    expect(agentB.calls.every((c) => c.authorization === 'Bearer b-secret')).toBe(true);
  });
});

describe('a remote agent whose secret is missing', () => {
  it('fails its task as the gateway misconfigured, naming the secret in the log only', async () => {
    const task = await send('w2', 'weather in Rome');
    expect(task.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(textOf(task.status?.message?.parts)).toBe(
      'The gateway is not configured to call agent w2; an operator must fix its credentials',
    );
    expect(JSON.stringify(task)).not.toContain('nope');
    expect(rs.logs).toContainEqual(
      expect.objectContaining({
        agentId: 'w2',
        problem: 'credentials',
        reason: 'secret nope cannot be read',
      }),
    );
  });

  it('is warned about at startup', () => {
    expect(rs.logs).toContainEqual(
      expect.objectContaining({
        agentId: 'w2',
        secretId: 'nope',
        msg: 'remote agent credentials cannot be read; its tasks will fail until an operator fixes them',
      }),
    );
    expect(rs.logs.filter((l) => l.secretId === 'b-token')).toEqual([]);
  });
});
