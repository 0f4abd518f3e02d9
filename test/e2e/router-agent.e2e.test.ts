/**
 * The router end to end (offline model): one question for two agents, the local currency agent
 * and a remote A2A agent (a real @a2a-js/sdk server on loopback), answered together, with the
 * sub-tasks real tasks of those agents, linked both ways; an agent's question forwarded to the
 * user and the answer back.
 */
import { type Part, type Task, TaskState } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkClient, sdkMessage, sendParams } from '../support/a2a-sdk-client';
import { type RemoteAgentServer, startRemoteAgent } from '../support/remote-a2a-agent';
import { type RemoteStack, startRemoteStack, textOf } from '../support/remote-stack';

let remote: RemoteAgentServer;
let rs: RemoteStack;
let router: Client;
let currency: Client;
let weather: Client;

beforeAll(async () => {
  remote = await startRemoteAgent({ streaming: true });
  rs = await startRemoteStack([{ id: 'weather', cardUrl: remote.cardUrl }]);
  [router, currency, weather] = await Promise.all([
    rs.client('router'),
    rs.client('currency'),
    rs.client('weather'),
  ]);
});
afterAll(async () => {
  await rs?.stop();
  await remote?.close();
});

const asTask = (r: unknown): Task => {
  expect(r).toHaveProperty('status');
  return r as Task;
};
interface Delegation {
  agentId: string;
  taskId: string;
  contextId: string;
}
const delegations = (task: Task): Delegation[] =>
  task.artifacts
    .filter((a) => a.name === 'delegation')
    .map((a) => (a.parts[0] as Part).content)
    .map((c) => (c?.$case === 'data' ? (c.value as unknown as Delegation) : undefined))
    .filter((d): d is Delegation => d !== undefined);
const answer = (task: Task): string => textOf(task.artifacts.find((a) => a.name === 'answer')?.parts);
const get = (client: Client, id: string) => client.getTask({ tenant: '', id, historyLength: undefined });

describe('the router', () => {
  it('delegates one question to a local and a remote agent and returns the combined answer', async () => {
    const task = asTask(
      await router.sendMessage(
        sendParams(sdkMessage('How much is 100 USD in EUR? And what is the weather in Paris?')),
      ),
    );
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answer(task)).toBe(
      'Currency Agent: 100 USD is 92 EUR (rates of 2026-01-02).\nWeather Agent: The weather in Paris is sunny.',
    );
    expect(delegations(task).map((d) => d.agentId)).toEqual(['currency', 'weather']);
  });

  it('makes each delegation a real task of its agent, in the same context, referencing the router task', async () => {
    const task = asTask(
      await router.sendMessage(sendParams(sdkMessage('Convert 20 EUR to USD. Also the weather in Oslo?'))),
    );
    const [toCurrency, toWeather] = delegations(task);
    const subs = await Promise.all([
      get(currency, toCurrency?.taskId ?? ''),
      get(weather, toWeather?.taskId ?? ''),
    ]);
    for (const sub of subs) {
      expect(sub.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(sub.contextId).toBe(task.contextId);
      expect(sub.history[0]?.referenceTaskIds).toEqual([task.id]);
    }
    expect(textOf(subs[0]?.history[0]?.parts)).toBe('Convert 20 EUR to USD.');
    expect(textOf(subs[1]?.artifacts[0]?.parts)).toBe('The weather in Oslo is sunny.');
  });

  it("asks the user an agent's question, and sends the answer to that agent's task", async () => {
    const asked = asTask(await router.sendMessage(sendParams(sdkMessage('Please convert 50 GBP'))));
    expect(asked.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(textOf(asked.status?.message?.parts)).toBe(
      'Currency Agent asks: Which currency do you want to convert 50 GBP to?',
    );
    const reply = sdkMessage('JPY', { taskId: asked.id, contextId: asked.contextId });
    const done = asTask(await router.sendMessage(sendParams(reply)));
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answer(done)).toBe('Currency Agent: 50 GBP is 9569.62 JPY (rates of 2026-01-02).');
    const [sub] = delegations(done);
    const subTask = await get(currency, sub?.taskId ?? '');
    expect(subTask.history.filter((m) => m.role === 1).map((m) => textOf(m.parts))).toEqual([
      'Please convert 50 GBP',
      'JPY',
    ]);
  });

  it('answers both clauses of one sentence, and names the part no agent can take', async () => {
    const both = asTask(
      await router.sendMessage(
        sendParams(sdkMessage('What is the weather in Paris, and how much is 100 USD in EUR?')),
      ),
    );
    expect(answer(both)).toBe(
      'Weather Agent: The weather in Paris is sunny.\nCurrency Agent: 100 USD is 92 EUR (rates of 2026-01-02).',
    );
    expect(delegations(both).map((d) => d.agentId)).toEqual(['weather', 'currency']);

    const partly = asTask(
      await router.sendMessage(
        sendParams(sdkMessage('How much is 100 USD in EUR, and what is the price of gold?')),
      ),
    );
    expect(partly.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answer(partly)).toBe(
      'Currency Agent: 100 USD is 92 EUR (rates of 2026-01-02).\nNo agent here can answer: what is the price of gold',
    );
    expect(delegations(partly).map((d) => d.agentId)).toEqual(['currency']);
  });

  it('says so when no agent fits the request', async () => {
    const task = asTask(await router.sendMessage(sendParams(sdkMessage('xyzzy plugh'))));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answer(task)).toMatch(
      /^I could not find an agent for that\. I can ask: .*Weather Agent \(weather\)/,
    );
    expect(delegations(task)).toEqual([]);
  });
});

describe("the router and the caller's agent scopes", () => {
  const clientWith = async (scopes: string[]) =>
    sdkClient(
      rs.stack.url,
      'router',
      await rs.stack.issuer.mint({ tenant: 'remote', scopes: ['tasks:submit', 'tasks:read', ...scopes] }),
    );
  const subTasksIn = async (client: Client, contextId: string) =>
    (
      await client.listTasks({
        tenant: '',
        contextId,
        status: TaskState.TASK_STATE_UNSPECIFIED,
        pageSize: 50,
        pageToken: '',
        historyLength: undefined,
        statusTimestampAfter: undefined,
        includeArtifacts: false,
      })
    ).tasks;

  it('gives a token limited to agent:router no currency sub-task, and an answer that says why', async () => {
    const restricted = await clientWith(['agent:router']);
    // the same token cannot reach the currency agent directly
    const direct = await fetch(`${rs.stack.url}/agents/currency`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await rs.stack.issuer.mint({ tenant: 'remote', scopes: ['tasks:submit', 'agent:router'] })}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SendMessage', params: {} }),
    });
    expect(direct.status).toBe(403);

    const task = asTask(await restricted.sendMessage(sendParams(sdkMessage('How much is 100 USD in EUR?'))));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answer(task)).toBe('Currency Agent: I cannot ask it: you are not allowed to use agent currency.');
    expect(delegations(task)).toEqual([]);
    expect(await subTasksIn(currency, task.contextId)).toEqual([]);
    // and the remote agent's credentials are not lent either
    const mixed = asTask(
      await restricted.sendMessage(sendParams(sdkMessage('What is the weather in Bergen?'))),
    );
    expect(answer(mixed)).toBe('Weather Agent: I cannot ask it: you are not allowed to use agent weather.');
    expect(await subTasksIn(weather, mixed.contextId)).toEqual([]);
  });

  it('delegates to the agents the token names, and says which parts it could not', async () => {
    const scoped = await clientWith(['agent:router', 'agent:currency']);
    const task = asTask(
      await scoped.sendMessage(
        sendParams(sdkMessage('How much is 100 USD in EUR? And what is the weather in Paris?')),
      ),
    );
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answer(task)).toBe(
      'Currency Agent: 100 USD is 92 EUR (rates of 2026-01-02).\nWeather Agent: I cannot ask it: you are not allowed to use agent weather.',
    );
    expect(delegations(task).map((d) => d.agentId)).toEqual(['currency']);
    expect(await subTasksIn(weather, task.contextId)).toEqual([]);
  });
});
