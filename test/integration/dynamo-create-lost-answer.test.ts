/**
 * A create's writes on DynamoDB Local whose answers are lost after they were applied (a network
 * failure or a 5xx the SDK could not retry away): the create fails, but what it wrote belongs to
 * a task that may well exist, so nothing of it is taken back (README decision 82).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { RetryableError } from '../../core/errors';
import { localDynamoClient, useStoreTable } from '../support/dynamo-client';
import { ctx, newTask, pushConfig, testClock, uniqueId } from '../support/factories';

const tableName = `lost-answer-${randomUUID()}`;
const raw = localDynamoClient();
const clock = testClock();
const store = new DynamoTaskStore({ client: DynamoDBDocumentClient.from(raw), tableName, clock });

useStoreTable(raw, tableName);

const LOSE = 'loseAnswers';
afterEach(() => {
  raw.middlewareStack.remove(LOSE);
});

/** Lets `times` requests of `command` reach DynamoDB Local, then fails as if each answer was lost. */
function loseAnswersOf(command: string, times: number, error: () => Error): void {
  let left = times;
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      if (context.commandName === command && left > 0) {
        left -= 1;
        throw error();
      }
      return out;
    },
    { step: 'initialize', name: LOSE },
  );
}

const connectionReset = () =>
  Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' });

describe('DynamoDB create: answers lost after the write', () => {
  it('keeps the first event and push config of a task whose transaction committed', async () => {
    const me = ctx(uniqueId('tenant'));
    const input = newTask({ tenant: me.principal.tenant, hasPush: true });
    const config = pushConfig(input.task.id, { id: 'cfg' });
    loseAnswersOf('TransactWriteItemsCommand', 1, connectionReset);
    await expect(store.create(me, { ...input, pushConfigs: [config] })).rejects.toBeInstanceOf(
      RetryableError,
    );
    raw.middlewareStack.remove(LOSE);
    // the task exists: its retry finds it whole
    const retry = await store.create(me, {
      ...newTask({ tenant: me.principal.tenant }),
      idempotencyKey: input.idempotencyKey,
    });
    expect(retry).toMatchObject({ created: false, task: { id: input.task.id } });
    expect(await store.readEvents(me, input.task.id, 0)).toEqual(input.events);
    expect(await store.listPushConfigs(me, input.task.id)).toEqual([config]);
  });

  it("counts a put the SDK sent again as written: the resend found the put's own item", async () => {
    const me = ctx(uniqueId('tenant'));
    const input = newTask({ tenant: me.principal.tenant, hasPush: true });
    const config = pushConfig(input.task.id, { id: 'cfg' });
    // a put applied and its answer lost: the SDK's resend is what answers, refused by the condition
    loseAnswersOf('PutItemCommand', 1, () =>
      Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }),
    );
    const result = await store.create(me, { ...input, pushConfigs: [config] });
    expect(result).toEqual({ created: true, task: { ...input.task, tenant: me.principal.tenant } });
    expect(await store.readEvents(me, input.task.id, 0)).toEqual(input.events);
    expect(await store.listPushConfigs(me, input.task.id)).toEqual([config]);
  });
});
