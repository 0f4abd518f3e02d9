/**
 * Exactly once in effect, on DynamoDB Local: a worker that dies between any two of its writes
 * (claim, event commits, checkpoint writes, final state, lease release) and has its message
 * delivered again ends with the task completed once, a gapless log, and the same events a run
 * without a crash appends - none twice, none missing.
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoCheckpointer } from '../../adapters/dynamo/dynamo-checkpointer';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { ensureTable } from '../../adapters/dynamo/table-schema';
import { TaskState } from '../../core/a2a/task-state';
import { type Logger, silentLogger } from '../../core/ports/logger';
import type { WorkMessage } from '../../core/work-message';
import { runTask } from '../../workers/agent-worker/run-task';
import { CrashSwitch, crashingCheckpointers, crashingStore } from '../support/crash-injection';
import { ctx, testClock, uniqueId } from '../support/factories';
import { awsTestEnv } from '../support/moto';
import {
  agentMessageIds,
  digest,
  followUp,
  isGapless,
  LEASE_MS,
  submitTask,
  type WorkerWorld,
  workerDeps,
} from '../support/worker-fixtures';

const tableName = `crash-${randomUUID()}`;
const raw = new DynamoDBClient(awsTestEnv(inject('dynamoEndpoint')));
const client = DynamoDBDocumentClient.from(raw);
const clock = testClock(Date.now());
const world: WorkerWorld = {
  store: new DynamoTaskStore({ client, tableName, clock }),
  checkpointers: DynamoCheckpointer.factory({ client, tableName, ttlSeconds: 3600, clock }),
  clock,
};

beforeAll(() => ensureTable(raw, tableName));
afterAll(async () => {
  await raw.send(new DeleteTableCommand({ TableName: tableName }));
  raw.destroy();
});

/** What healthy deliveries logged as errors (a crashed worker's own complaints are expected). */
const errors: string[] = [];
const errorLog: Logger = {
  ...silentLogger,
  error: (obj) => errors.push(String((obj as { err?: Error }).err?.stack ?? JSON.stringify(obj))),
  child: () => errorLog,
};

/** One delivery; with a switch, the worker dies once its write budget is spent. */
async function deliver(work: WorkMessage, sw?: CrashSwitch): Promise<void> {
  const deps = workerDeps(
    sw
      ? {
          ...world,
          store: crashingStore(world.store, sw),
          checkpointers: crashingCheckpointers(world.checkpointers, sw),
        }
      : world,
    sw ? {} : { logger: errorLog },
  );
  await runTask(deps, work).catch((err: unknown) => {
    if (!sw?.dead) throw err;
  });
  await sw?.settled();
}

/** A delivery that may crash, then (after the dead worker's lease ran out) a healthy redelivery. */
async function deliverCrashingAt(work: WorkMessage, budget: number): Promise<void> {
  await deliver(work, new CrashSwitch(budget));
  clock.advance(LEASE_MS + 1);
  await deliver(work);
}

interface Story {
  name: string;
  agent: string;
  turns: string[];
}

/** Runs the story's turns; `crash` injects a crash into the delivery of turn `turn`. */
async function play(story: Story, crash?: { turn: number; budget: number }) {
  const me = ctx(uniqueId('tenant'));
  let work = await submitTask(world.store, me, story.agent, story.turns[0] ?? '', clock);
  for (let turn = 0; turn < story.turns.length; turn++) {
    if (turn > 0) work = await followUp(world.store, me, work.taskId, story.turns[turn] ?? '', clock);
    if (crash?.turn === turn) await deliverCrashingAt(work, crash.budget);
    else await deliver(work);
  }
  const task = await world.store.get(me, work.taskId);
  const events = await world.store.readEvents(me, work.taskId, 0);
  return { task, events };
}

/** How many writes a delivery of turn `turn` makes when nothing crashes. */
async function writesOfTurn(story: Story, turn: number): Promise<number> {
  const sw = new CrashSwitch();
  const me = ctx(uniqueId('tenant'));
  let work = await submitTask(world.store, me, story.agent, story.turns[0] ?? '', clock);
  for (let t = 0; t < story.turns.length; t++) {
    if (t > 0) work = await followUp(world.store, me, work.taskId, story.turns[t] ?? '', clock);
    await deliver(work, t === turn ? sw : undefined);
  }
  return sw.writes.length;
}

const stories: Story[] = [
  { name: 'the currency agent answering at once', agent: 'currency', turns: ['How much is 100 USD in EUR?'] },
  {
    name: 'the currency agent asking which currency, then answering',
    agent: 'currency',
    turns: ['convert 50 GBP', 'JPY'],
  },
  { name: 'the echo agent', agent: 'echo', turns: ['hello'] },
];

describe('a worker that crashes and gets its message again', () => {
  for (const story of stories) {
    it(`completes ${story.name} exactly once, whichever write it dies after`, async () => {
      errors.length = 0;
      const reference = await play(story);
      expect(reference.task?.status.state).toBe(TaskState.Completed);
      const expected = reference.events.map(digest);
      for (let turn = 0; turn < story.turns.length; turn++) {
        const writes = await writesOfTurn(story, turn);
        // at least the claim and one commit: a crash before, between and after them is played
        expect(writes).toBeGreaterThanOrEqual(2);
        for (let budget = 0; budget <= writes; budget++) {
          const { task, events } = await play(story, { turn, budget });
          const where = `crash in turn ${turn + 1} after ${budget} of ${writes} writes ${errors.join('\n')}`;
          expect(task?.status.state, where).toBe(TaskState.Completed);
          expect(isGapless(events), where).toBe(true);
          expect(events.map(digest), where).toEqual(expected);
          const ids = agentMessageIds(events);
          expect(new Set(ids).size, where).toBe(ids.length);
          expect(errors, where).toEqual([]);
        }
      }
    }, 300_000);
  }
});
