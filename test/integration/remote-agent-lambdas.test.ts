/**
 * Remote agents and the router on the deployed code path: the gateway and agent worker Lambda
 * entries wired from env as Terraform sets it (REMOTE_AGENTS with a bearer token in moto's
 * Secrets Manager), DynamoDB Local, moto's SQS, and a real @a2a-js/sdk agent on loopback as the
 * remote. The worker is fed what is really on the work queue.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../adapters/dynamo/table-schema';
import { generateSigningJwk } from '../../adapters/push/push-signing-keys';
import { httpApiEvent, sqsEventFrom } from '../support/lambda-events';
import { awsTestEnv, lambdaEmulatorEnv } from '../support/moto';
import { type RemoteAgentServer, startRemoteAgent } from '../support/remote-a2a-agent';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
type SqsHandler = (event: unknown, context?: unknown) => Promise<{ batchItemFailures: unknown[] }>;
const BASE_URL = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com';
const TOKEN = `remote-token-${Date.now()}`;

let remote: RemoteAgentServer;
let gateway: Handler;
let worker: SqsHandler;
let sqs: SQSClient;
let workQueueUrl: string;

beforeAll(async () => {
  remote = await startRemoteAgent({ streaming: true, bearer: TOKEN });
  const stamp = Date.now();
  const dynamo = inject('dynamoEndpoint');
  const table = `remote-lambdas-${stamp}`;
  await ensureTable(new DynamoDBClient(awsTestEnv(dynamo)), table);
  sqs = new SQSClient(awsTestEnv(inject('motoEndpoint')));
  const queue = async (name: string) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-${stamp}` }))).QueueUrl ?? '';
  workQueueUrl = await queue('remote-work');
  const pushQueueUrl = await queue('remote-push');
  const secrets = new SecretsManagerClient(awsTestEnv(inject('motoEndpoint')));
  const secret = async (name: string, value: string) => {
    await secrets.send(new CreateSecretCommand({ Name: name, SecretString: value }));
    return name;
  };
  const signingSecret = await secret(
    `remote-push-keys-${stamp}`,
    JSON.stringify({ current: await generateSigningJwk() }),
  );
  const tokenSecret = await secret(`weather/token-${stamp}`, TOKEN);
  Object.assign(process.env, {
    ...lambdaEmulatorEnv({ table, dynamo, moto: inject('motoEndpoint') }),
    WORK_QUEUE_URL: workQueueUrl,
    PUSH_QUEUE_URL: pushQueueUrl,
    PUSH_SIGNING_SECRET_ID: signingSecret,
    PUBLIC_BASE_URL: BASE_URL,
    BLOCKING_TIMEOUT_MS: '0',
    REMOTE_AGENTS: JSON.stringify([
      { id: 'weather', cardUrl: remote.cardUrl, auth: { type: 'bearer', secretId: tokenSecret } },
    ]),
    REMOTE_AGENTS_ALLOW_HTTP_HOSTS: '127.0.0.1',
    REMOTE_AGENT_TIMEOUT_MS: '5000',
    ROUTER_SUBTASK_TIMEOUT_MS: '20000',
  });
  gateway = (await import('../../gateway/lambda/lambda')).handler as Handler;
  worker = (await import('../../workers/agent-worker/lambda')).handler as SqsHandler;
}, 60_000);
afterAll(() => remote?.close());

const context = {
  awsRequestId: 'req-remote',
  functionName: 'gateway',
  getRemainingTimeInMillis: () => 29_000,
};

async function call(o: Parameters<typeof httpApiEvent>[0]) {
  const res = (await gateway(httpApiEvent(o), context)) as { statusCode: number; body: string };
  return { status: res.statusCode, body: JSON.parse(res.body) };
}
let nextId = 1;
async function rpc(agent: string, method: string, params: unknown) {
  const res = await call({
    path: `/agents/${agent}`,
    body: { jsonrpc: '2.0', id: nextId++, method, params },
  });
  expect(res.body.error, JSON.stringify(res.body.error)).toBeUndefined();
  return res.body.result;
}
const send = async (agent: string, text: string, extra: Record<string, unknown> = {}) =>
  (
    await rpc(agent, 'SendMessage', {
      message: { messageId: `m-${Math.random()}`, role: 'ROLE_USER', parts: [{ text }], ...extra },
      configuration: { returnImmediately: true },
    })
  ).task;

/** Runs the worker on every message on the work queue until the queue has none left. */
async function drainWork(): Promise<void> {
  for (let event = await sqsEventFrom(sqs, workQueueUrl); event.Records.length > 0; ) {
    for (const record of event.Records) {
      expect((await worker({ Records: [record] })).batchItemFailures).toEqual([]);
    }
    event = await sqsEventFrom(sqs, workQueueUrl);
  }
}

/** The text of JSON-RPC parts, joined (a chunked artifact's chunks are parts of one artifact). */
const textOf = (parts: { text?: string }[]): string => parts.map((p) => p.text ?? '').join('');

describe('remote agents in the Lambda entries', () => {
  it("serves the remote agent's skills on the gateway's card, with the gateway's URL", async () => {
    const card = await call({ method: 'GET', path: '/agents/weather/.well-known/agent-card.json' });
    expect(card.status).toBe(200);
    expect(card.body.name).toBe('Weather Agent');
    expect(card.body.skills.map((s: { id: string }) => s.id)).toEqual(['weather']);
    expect(JSON.stringify(card.body)).not.toContain('127.0.0.1');
    expect(card.body.supportedInterfaces[0].url).toBe(`${BASE_URL}/agents/weather`);
    const router = await call({ method: 'GET', path: '/agents/router/.well-known/agent-card.json' });
    expect(router.status).toBe(200);
  });

  it('forwards a task with the bearer token from Secrets Manager and maps the answer', async () => {
    const task = await send('weather', 'weather in Oslo');
    expect(task.status.state).toBe('TASK_STATE_SUBMITTED');
    await drainWork();
    const done = await rpc('weather', 'GetTask', { id: task.id });
    expect(done.status.state).toBe('TASK_STATE_COMPLETED');
    expect(textOf(done.artifacts[0].parts)).toBe('The weather in Oslo is sunny.');
    const calls = remote.calls.filter((c) => c.method !== 'undefined');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('cancels the remote task when the client cancels while the task waits for input', async () => {
    const task = await send('weather', 'a forecast, please');
    await drainWork();
    const asked = await rpc('weather', 'GetTask', { id: task.id });
    expect(asked.status.state).toBe('TASK_STATE_INPUT_REQUIRED');
    expect(asked.metadata).toBeUndefined(); // the remote binding is the gateway's, never shown
    const remoteTaskId = remote.taskReceiving('a forecast, please');
    expect((await rpc('weather', 'CancelTask', { id: task.id })).status.state).toBe('TASK_STATE_CANCELED');
    expect(remote.canceled).not.toContain(remoteTaskId);
    await drainWork(); // the cancel's work message
    expect(remote.canceled).toContain(remoteTaskId);
  });

  it('follows a long remote task across invocations, each ending before its Lambda timeout', async () => {
    const task = await send('weather', 'slow weather in Rome');
    const first = await sqsEventFrom(sqs, workQueueUrl);
    // 46 s left and a 45 s margin: the worker streams for 1 s, then hands over to a fresh message
    const shortLived = { awsRequestId: 'req-short', getRemainingTimeInMillis: () => 46_000 };
    expect((await worker(first, shortLived)).batchItemFailures).toEqual([]);
    const waiting = await rpc('weather', 'GetTask', { id: task.id });
    expect(waiting.status.state).toBe('TASK_STATE_WORKING');
    const remoteTaskId = remote.taskReceiving('slow weather in Rome');
    expect(remoteTaskId).toEqual(expect.any(String));
    let next = await sqsEventFrom(sqs, workQueueUrl);
    for (let i = 0; i < 5 && next.Records.length === 0; i++) next = await sqsEventFrom(sqs, workQueueUrl);
    expect(next.Records).toHaveLength(1);
    expect(next.Records[0]?.attributes.ApproximateReceiveCount).toBe('1');
    const continuation = JSON.parse(next.Records[0]?.body ?? '{}');
    expect(continuation).toMatchObject({ taskId: task.id });
    expect(continuation.seq).toBeGreaterThan(1); // at the task's version after the run's commits
    // the next invocation follows the same remote task (it does not send again), and so on
    const calls = remote.calls.length;
    expect((await worker(next, shortLived)).batchItemFailures).toEqual([]);
    expect(remote.calls.slice(calls).map((c) => c.method)).not.toContain('SendStreamingMessage');
    expect(remote.calls.slice(calls).map((c) => c.method)).not.toContain('SendMessage');
    await rpc('weather', 'CancelTask', { id: task.id });
    await drainWork();
    expect(remote.canceled).toContain(remoteTaskId);
  });

  it('runs the router, which delegates to the remote agent through the work queue', async () => {
    const task = await send('router', 'What is the weather in Lima?');
    const first = await sqsEventFrom(sqs, workQueueUrl);
    expect(first.Records).toHaveLength(1);
    // the router's run waits for its sub-task, which another invocation runs meanwhile
    let routed = false;
    const routing = worker(first).finally(() => {
      routed = true;
    });
    // drained until the router's run ends: on a busy machine it starts its sub-task late
    while (!routed) await drainWork();
    expect((await routing).batchItemFailures).toEqual([]);
    const done = await rpc('router', 'GetTask', { id: task.id });
    expect(done.status.state).toBe('TASK_STATE_COMPLETED');
    const answer = done.artifacts.find((a: { name?: string }) => a.name === 'answer');
    expect(textOf(answer.parts)).toBe('Weather Agent: The weather in Lima is sunny.');
  });

  it('hands a router run that waits on its sub-task over to a fresh message before its Lambda timeout', async () => {
    const task = await send('router', 'What is the weather in Quito?');
    const first = await sqsEventFrom(sqs, workQueueUrl);
    // 46 s left: the router starts its sub-task, waits 1 s, and continues in a fresh message
    const shortLived = { awsRequestId: 'req-router', getRemainingTimeInMillis: () => 46_000 };
    expect((await worker(first, shortLived)).batchItemFailures).toEqual([]);
    expect((await rpc('router', 'GetTask', { id: task.id })).status.state).toBe('TASK_STATE_WORKING');
    // the sub-task, then the router's continuation (1 s delayed), which finds it done
    let done = await rpc('router', 'GetTask', { id: task.id });
    for (let i = 0; i < 10 && done.status.state === 'TASK_STATE_WORKING'; i++) {
      await drainWork();
      done = await rpc('router', 'GetTask', { id: task.id });
    }
    expect(done.status.state).toBe('TASK_STATE_COMPLETED');
    const delegations = done.artifacts.filter((a: { name?: string }) => a.name === 'delegation');
    expect(delegations).toHaveLength(1); // the re-run step started no second sub-task
    const answer = done.artifacts.find((a: { name?: string }) => a.name === 'answer');
    expect(textOf(answer.parts)).toBe('Weather Agent: The weather in Quito is sunny.');
  });
});
