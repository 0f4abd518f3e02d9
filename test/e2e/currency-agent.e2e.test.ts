/**
 * The currency agent end to end: the local stack (gateway, in-process queue, the LangGraph worker
 * with DynamoDB checkpoints, DLQ consumer, reconciler) driven by the official @a2a-js/sdk client.
 */
import { type Part, type Task, TaskState } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/local-stack';
import { sdkClient, sdkMessage, sendParams } from '../support/a2a-sdk-client';
import { testDataDir } from '../support/temp-dir';

let stack: LocalStack;
let currency: Client;

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    host: '127.0.0.1',
    store: { dynamoEndpoint: inject('dynamoEndpoint'), tableName: `e2e-currency-${Date.now()}` },
    dataDir: testDataDir('currency'),
    logger: pino({ level: 'silent' }),
    pollWaitSeconds: 1,
  });
  const token = await stack.issuer.mint({
    tenant: 'e2e-currency',
    scopes: ['tasks:submit', 'tasks:read', 'tasks:cancel'],
  });
  currency = await sdkClient(stack.url, 'currency', token);
});
afterAll(() => stack?.stop());

const asTask = (r: unknown): Task => {
  expect(r).toHaveProperty('status');
  return r as Task;
};
const text = (parts: readonly Part[] | undefined): string =>
  (parts ?? []).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');

describe('the currency agent through the @a2a-js/sdk client', () => {
  it('publishes a card with its currency skill', async () => {
    const card = await currency.getAgentCard();
    expect(card.name).toBe('Currency Agent');
    expect(card.skills.map((s) => s.id)).toEqual(['convert_currency']);
  });

  it('asks which currency (input-required), then completes with the conversion', async () => {
    const asked = asTask(await currency.sendMessage(sendParams(sdkMessage('Please convert 50 GBP'))));
    expect(asked.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(text(asked.status?.message?.parts)).toBe('Which currency do you want to convert 50 GBP to?');

    const reply = sdkMessage('JPY', { taskId: asked.id, contextId: asked.contextId });
    const done = asTask(await currency.sendMessage(sendParams(reply)));
    expect(done.id).toBe(asked.id);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(done.artifacts).toHaveLength(1);
    expect(done.artifacts[0]?.name).toBe('conversion_result');
    expect(text(done.artifacts[0]?.parts)).toBe('50 GBP is 9569.62 JPY (rates of 2026-01-02).');
  });

  it('answers a complete request in one call', async () => {
    const done = asTask(await currency.sendMessage(sendParams(sdkMessage('How much is 100 USD in EUR?'))));
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(text(done.artifacts[0]?.parts)).toBe('100 USD is 92 EUR (rates of 2026-01-02).');
  });
});
