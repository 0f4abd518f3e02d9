/**
 * A DynamoDB Local table and two task stores on it, with the failures the commit tests inject
 * (README decision 83): event puts that fail after the snapshot update, an update whose answer is
 * lost and then resent, and "another process" (its own client and no knowledge of the logs).
 * Call once at a test file's top level: it registers the table's and the failures' hooks.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach } from 'vitest';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { EVENT_PREFIX, taskPk } from '../../adapters/dynamo/keys';
import { TaskState } from '../../core/a2a/task-state';
import type { RequestContext } from '../../core/context';
import { isoAt } from '../../core/ports/clock';
import { type Logger, silentLogger } from '../../core/ports/logger';
import { applyEvents, type StoredEvent, type TaskEvent } from '../../core/task-record';
import { meterDynamo } from '../../scripts/bench/dynamo-metering';
import { localDynamoClient, useStoreTable } from './dynamo-client';
import { newTask, testClock } from './factories';

const FAIL = 'failWrites';

export const working: TaskEvent = { kind: 'status', status: { state: TaskState.Working } };
export const artifact: TaskEvent = {
  kind: 'artifact',
  artifact: { artifactId: 'a', parts: [{ text: 'the answer' }] },
  lastChunk: true,
};
export const completed: TaskEvent = { kind: 'status', status: { state: TaskState.Completed } };

export function commitRig(prefix: string) {
  const tableName = `${prefix}-${randomUUID()}`;
  const raw = localDynamoClient();
  const meter = meterDynamo(raw);
  const doc = DynamoDBDocumentClient.from(raw);
  const clock = testClock();
  const warnings: string[] = [];
  const errors: string[] = [];
  const logger: Logger = {
    ...silentLogger,
    warn: (_obj, msg) => {
      warnings.push(String(msg));
    },
    error: (_obj, msg) => {
      errors.push(String(msg));
    },
  };
  const store = new DynamoTaskStore({ client: doc, tableName, clock, logger });
  const otherRaw = localDynamoClient();
  const otherMeter = meterDynamo(otherRaw);

  useStoreTable(raw, tableName);
  afterEach(() => {
    raw.middlewareStack.remove(FAIL);
  });

  const rig = {
    tableName,
    raw,
    meter,
    doc,
    clock,
    store,
    /** what the store logged at warn and error */
    warnings,
    errors,
    otherMeter,
    /** Another process on the same table: its own client (no injected failures), no knowledge of the logs. */
    otherProcess: () =>
      new DynamoTaskStore({ client: DynamoDBDocumentClient.from(otherRaw), tableName, clock }),

    /**
     * Every PutItem (or the one of the item with sort key `sk`) fails before it is sent, as if
     * the process died after the snapshot update; until the test ends or `healed()`.
     */
    failPutOf(sk?: string): void {
      raw.middlewareStack.add(
        (next, context) => async (args) => {
          const item = (args.input as { Item?: { SK?: unknown } }).Item;
          if (context.commandName === 'PutItemCommand' && (sk === undefined || item?.SK === sk)) {
            throw Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' });
          }
          return next(args);
        },
        { step: 'initialize', name: FAIL },
      );
    },

    healed(): void {
      raw.middlewareStack.remove(FAIL);
    },

    /** The name to give a middleware of the test's own on `raw`: removed when the test ends or by `healed()`. */
    injected: FAIL,

    /**
     * The next UpdateItem lands and its answer is lost: `meanwhile` runs, then the request is sent
     * again, as the SDK resends one whose answer it did not get, and that resend's answer counts.
     */
    loseFirstUpdateAnswer(meanwhile: () => Promise<void>): { resent: boolean } {
      const state = { resent: false };
      raw.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName !== 'UpdateItemCommand' || state.resent) return next(args);
          state.resent = true;
          await next(args);
          await meanwhile();
          return next(args);
        },
        { step: 'initialize', name: FAIL },
      );
      return state;
    },

    async createTask(me: RequestContext): Promise<{ id: string; events: StoredEvent[] }> {
      const input = newTask({ tenant: me.principal.tenant });
      await store.create(me, input);
      return { id: input.task.id, events: input.events };
    },

    /** Reads the task on `on` and commits `events` on it; the stored events. */
    async commit(on: DynamoTaskStore, me: RequestContext, id: string, events: TaskEvent[]) {
      const task = await on.get(me, id);
      if (!task) throw new Error('no task');
      const { next, stored } = applyEvents(task, events, isoAt(clock.now()));
      await on.commit(me, { taskId: id, expectedVersion: task.version, next, events: stored });
      return stored;
    },

    /**
     * A task whose commit of `events` lost every event put (or the put of the item with sort key
     * `sk`): those events are pending in its snapshot only.
     */
    async afterFailedPuts(me: RequestContext, events: TaskEvent[], sk?: string) {
      const task = await rig.createTask(me);
      rig.failPutOf(sk);
      try {
        return { task, stored: await rig.commit(store, me, task.id, events) };
      } finally {
        rig.healed();
      }
    },

    /** The seqs of the event items the log holds, read from the table. */
    async logged(me: RequestContext, id: string): Promise<number[]> {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :evt)',
          ExpressionAttributeValues: { ':pk': taskPk(me.principal.tenant, id), ':evt': EVENT_PREFIX },
          ConsistentRead: true,
        }),
      );
      return (out.Items ?? []).map((i) => Number(i.seq));
    },
  };
  return rig;
}
