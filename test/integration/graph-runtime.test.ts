/**
 * The LangGraph runtime behind the gateway (app.inject), on DynamoDB Local: the currency agent's
 * interrupt and resume across two SendMessage calls, cancellation between and within steps, the
 * lease of a long run, and the failure policy for graphs that raise.
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { DynamoCheckpointer } from '../../adapters/dynamo/dynamo-checkpointer';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { ensureTable } from '../../adapters/dynamo/table-schema';
import { TaskState } from '../../core/a2a/task-state';
import { RetryableError } from '../../core/errors';
import type { WorkMessage } from '../../core/work-message';
import { runTask } from '../../workers/agent-worker/run-task';
import type { WorkerDeps } from '../../workers/agent-worker/worker-deps';
import { gatewayHarness, type Harness, userMessage } from '../support/gateway-harness';
import { awsTestEnv } from '../support/moto';
import { gate, registryWith, steppingAgent } from '../support/test-graphs';

const tableName = `graph-runtime-${randomUUID()}`;
const raw = new DynamoDBClient(awsTestEnv(inject('dynamoEndpoint')));
const client = DynamoDBDocumentClient.from(raw);
beforeAll(() => ensureTable(raw, tableName));
afterAll(async () => {
  await raw.send(new DeleteTableCommand({ TableName: tableName }));
  raw.destroy();
});

let h: Harness;
beforeEach(async () => {
  h = await gatewayHarness(
    { cancelWaitMs: 20_000 },
    {
      store: new DynamoTaskStore({ client, tableName }),
      checkpointers: DynamoCheckpointer.factory({ client, tableName, ttlSeconds: 3600 }),
    },
  );
});
afterEach(() => h.close());

async function result(method: string, params: unknown) {
  const body = (await h.rpc(method, params, { agent: 'currency' })).json();
  if (body.result === undefined) throw new Error(`${method} answered ${JSON.stringify(body)}`);
  return body.result;
}

/** SendMessage, the worker runs what it enqueued, then the task as GetTask shows it. */
async function send(text: string, extra: Record<string, unknown> = {}) {
  const { task } = await result('SendMessage', {
    message: userMessage(text, extra),
    configuration: { returnImmediately: true },
  });
  await h.drain();
  return result('GetTask', { id: task.id });
}

const textOf = (parts: { text?: string }[] | undefined) => (parts ?? []).map((p) => p.text ?? '').join('');
const ctxOf = () => ({ principal: { tenant: 'acme', subject: 'alice', scopes: [] }, requestId: 'test' });

async function submit(): Promise<{ taskId: string; work: WorkMessage }> {
  const { task } = await result('SendMessage', {
    message: userMessage('go'),
    configuration: { returnImmediately: true },
  });
  const [work] = h.queue.take();
  if (!work) throw new Error('nothing was enqueued');
  return { taskId: task.id, work };
}

const events = async (taskId: string) => h.store.readEvents(ctxOf(), taskId, 0);

describe('the currency agent over two SendMessage calls', () => {
  it('asks which currency (INPUT_REQUIRED) and completes when the next message answers', async () => {
    const asked = await send('Please convert 50 GBP');
    expect(asked.status.state).toBe(TaskState.InputRequired);
    expect(textOf(asked.status.message.parts)).toBe('Which currency do you want to convert 50 GBP to?');

    const done = await send('to JPY', { taskId: asked.id, contextId: asked.contextId });
    expect(done.id).toBe(asked.id);
    expect(done.status.state).toBe(TaskState.Completed);
    expect(done.artifacts).toHaveLength(1);
    expect(done.artifacts[0].name).toBe('conversion_result');
    expect(textOf(done.artifacts[0].parts)).toBe('50 GBP is 9569.62 JPY (rates of 2026-01-02).');
    const said = done.history.map(
      (m: { role: string; parts: { text?: string }[] }) => `${m.role}: ${textOf(m.parts)}`,
    );
    expect(said).toEqual([
      'ROLE_USER: Please convert 50 GBP',
      'ROLE_AGENT: Which currency do you want to convert 50 GBP to?',
      'ROLE_USER: to JPY',
      'ROLE_AGENT: Looking up the exchange rates...',
      'ROLE_AGENT: Processing the exchange rates...',
    ]);
  });

  it('streams the answer as artifact chunks, the last one marked', async () => {
    const done = await send('How much is 1,250 CHF in USD?');
    const chunks = (await events(done.id)).flatMap((e) => (e.event.kind === 'artifact' ? [e.event] : []));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => [c.append, c.lastChunk])).toEqual(
      chunks.map((_, i) => [i > 0, i === chunks.length - 1]),
    );
    expect(textOf(done.artifacts[0].parts)).toBe('1250 CHF is 1420.45 USD (rates of 2026-01-02).');
  });
});

describe('cancellation of a running graph', () => {
  const deps = (o: Partial<WorkerDeps>): WorkerDeps => ({ ...h.worker, ...o });
  const cancelRequested = async (taskId: string) => {
    for (let i = 0; i < 400; i++) {
      if ((await h.store.get(ctxOf(), taskId))?.cancelRequested) return;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('the cancel request never arrived');
  };

  it('ends the task CANCELED at the end of the step that was running', async () => {
    const inStep2 = gate();
    const release = gate();
    const agent = steppingAgent({
      steps: 6,
      during: async (step) => {
        if (step !== 2) return;
        inStep2.open();
        await release.opened;
      },
    });
    const { taskId, work } = await submit();
    const run = runTask(
      deps({ agents: registryWith(agent), settings: { ...h.worker.settings, heartbeatMs: 3_600_000 } }),
      work,
    );
    await inStep2.opened;
    const canceled = result('CancelTask', { id: taskId });
    await cancelRequested(taskId);
    release.open();
    expect(await run).toBe('done');
    expect((await canceled).status.state).toBe(TaskState.Canceled);
    const steps = (await events(taskId)).flatMap((e) =>
      e.event.kind === 'status' && e.event.status.message ? [textOf(e.event.status.message.parts)] : [],
    );
    expect(steps).toEqual(['step 0', 'step 1', 'step 2']);
    expect((await events(taskId)).at(-1)?.event).toMatchObject({
      kind: 'status',
      status: { state: TaskState.Canceled },
    });
  });

  it('aborts a step that would not end on its own once the heartbeat sees the cancel request', async () => {
    const inStep1 = gate();
    const agent = steppingAgent({
      steps: 3,
      during: async (step, config) => {
        if (step !== 1) return;
        inStep1.open();
        await new Promise((_, reject) =>
          config.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      },
    });
    const { taskId, work } = await submit();
    const run = runTask(deps({ agents: registryWith(agent) }), work);
    await inStep1.opened;
    expect((await result('CancelTask', { id: taskId })).status.state).toBe(TaskState.Canceled);
    expect(await run).toBe('done');
  });
});

describe('the lease of a long run', () => {
  it('is renewed through a long step, so a duplicate delivered later is still turned away', async () => {
    const inStep = gate();
    const release = gate();
    const agent = steppingAgent({
      steps: 1,
      during: async () => {
        inStep.open();
        await release.opened;
      },
    });
    const { work } = await submit();
    const deps = {
      ...h.worker,
      agents: registryWith(agent),
      settings: { ...h.worker.settings, leaseMs: 1000, heartbeatMs: 50 },
    };
    const run = runTask(deps, work);
    await inStep.opened;
    await new Promise((r) => setTimeout(r, 2500)); // two and a half leases long
    expect(await runTask(deps, work)).toBe('skipped');
    release.open();
    expect(await run).toBe('done');
  });
});

describe('graphs that fail', () => {
  it('end the task FAILED with a safe message when the graph raises', async () => {
    const agent = steppingAgent({
      steps: 3,
      during: async (step) => {
        if (step === 1) throw new Error('connection string postgres://admin:hunter2@db');
      },
    });
    const { taskId, work } = await submit();
    expect(await runTask({ ...h.worker, agents: registryWith(agent) }, work)).toBe('failed-permanently');
    const task = await h.store.get(ctxOf(), taskId);
    expect(task?.status.state).toBe(TaskState.Failed);
    expect(textOf(task?.status.message?.parts)).toBe('The agent failed while working on this task');
    expect(JSON.stringify(await events(taskId))).not.toContain('hunter2');
  });

  it('go back to the queue on a throttling error and resume from the last checkpoint', async () => {
    const ran: number[] = [];
    let throttled = false;
    const agent = steppingAgent({
      steps: 4,
      during: async (step) => {
        ran.push(step);
        if (step === 2 && !throttled) {
          throttled = true;
          throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' });
        }
      },
    });
    const { taskId, work } = await submit();
    const deps = { ...h.worker, agents: registryWith(agent) };
    await expect(runTask(deps, work)).rejects.toBeInstanceOf(RetryableError);
    expect((await h.store.get(ctxOf(), taskId))?.status.state).toBe(TaskState.Working);
    expect(await runTask(deps, work)).toBe('done');
    expect(ran).toEqual([0, 1, 2, 2, 3]);
    expect((await h.store.get(ctxOf(), taskId))?.status.state).toBe(TaskState.Completed);
  });
});
