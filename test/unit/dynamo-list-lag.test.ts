/**
 * ListTasks on DynamoDB where DynamoDB Local does not behave as AWS does: while the indexes lag
 * the table (README decision 84), and at the 1 KB limit on a key condition's sort key value. On AWS a GSI is updated after
 * the table: a task that has just left SUBMITTED can still be in GSI5 (as SUBMITTED) while it is
 * already in GSI1. DynamoDB Local updates its indexes with the table, so this plays the two index
 * answers through a DocumentClient double that answers as a lagging AWS would, and refuses a
 * BatchGetItem with a key twice, as DynamoDB does.
 */
import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { agentListPk, queuedPk, queuedSk } from '../../adapters/dynamo/keys';
import { listTasks } from '../../adapters/dynamo/list-tasks';
import { toTaskItem } from '../../adapters/dynamo/task-items';
import { encodePageToken, statusSortKey } from '../../adapters/shared/list-page-token';
import { TaskState } from '../../core/a2a/task-state';
import { InvalidParamsError } from '../../core/errors';
import type { TaskRecord } from '../../core/task-record';
import { T0, taskRecord } from '../support/factories';

const TENANT = 'tenant-a';
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/**
 * A table that holds `now` while one index still has the task where it was: `before` in GSI5 and
 * `now` in GSI1, or the other way round after a follow-up message queued it again.
 */
function laggingTable(before: TaskRecord, now: TaskRecord) {
  const item = toTaskItem(TENANT, now);
  const key = { PK: item.PK, SK: item.SK };
  const [queued, listed] = now.status.state === TaskState.Submitted ? [now, before] : [before, now];
  const entries: Record<string, Record<string, unknown>> = {
    [agentListPk(TENANT, 'echo', now.id)]: {
      ...key,
      GSI1SK: statusSortKey(listed),
      state: listed.status.state,
    },
    [queuedPk(TENANT, now.id)]: {
      ...key,
      GSI5SK: queuedSk('echo', statusSortKey(queued)),
      state: queued.status.state,
    },
  };
  const send = async (command: unknown) => {
    if (command instanceof QueryCommand) {
      const pk = command.input.ExpressionAttributeValues?.[':pk'] as string;
      const found = entries[pk] === undefined ? [] : [{ ...entries[pk], agentId: 'echo' }];
      return command.input.Select === 'COUNT' ? { Count: found.length } : { Items: found };
    }
    if (command instanceof BatchGetCommand) {
      const keys = Object.values(command.input.RequestItems ?? {})[0]?.Keys ?? [];
      const distinct = new Set(keys.map((k) => `${String(k.PK)} ${String(k.SK)}`));
      if (distinct.size !== keys.length) {
        throw new Error('ValidationException: Provided list of item keys contains duplicates');
      }
      return { Responses: { tasks: keys.length > 0 ? [item] : [] } };
    }
    throw new Error('unexpected command');
  };
  return { doc: { send } as unknown as DynamoDBDocumentClient };
}

const task = (state: TaskState, minute: number, base = taskRecord({ tenant: TENANT })): TaskRecord => ({
  ...base,
  status: { state, timestamp: at(minute) },
});

async function listed(doc: DynamoDBDocumentClient, pageSize: number) {
  const ids: [string, TaskState][] = [];
  let pageToken: string | undefined;
  for (let pages = 0; pages < 10; pages++) {
    const q = { agentId: 'echo', pageSize, ...(pageToken === undefined ? {} : { pageToken }) };
    const page = await listTasks(doc, 'tasks', TENANT, q, T0);
    ids.push(...page.tasks.map((t): [string, TaskState] => [t.id, t.status.state]));
    if (page.nextPageToken === '') return ids;
    pageToken = page.nextPageToken;
  }
  throw new Error('paging does not end');
}

describe('ListTasks on indexes that lag the table', () => {
  it('lists a task that is in GSI1 and still in GSI5 once, where it is now', async () => {
    const submitted = task(TaskState.Submitted, 1);
    const { doc } = laggingTable(submitted, task(TaskState.Working, 2, submitted));
    for (const pageSize of [1, 10])
      expect(await listed(doc, pageSize)).toEqual([[submitted.id, TaskState.Working]]);
  });

  it('lists a task queued again by a follow-up, still in GSI1, once, where it is now', async () => {
    const waiting = task(TaskState.InputRequired, 1);
    const { doc } = laggingTable(waiting, task(TaskState.Submitted, 2, waiting));
    for (const pageSize of [1, 10])
      expect(await listed(doc, pageSize)).toEqual([[waiting.id, TaskState.Submitted]]);
  });
});

describe('ListTasks page tokens at the 1 KB sort key limit', () => {
  /** Refuses a sort key value over 1,024 bytes in a key condition, as DynamoDB does (Local does not). */
  const strictDoc = {
    send: async (command: unknown) => {
      if (!(command instanceof QueryCommand)) return { Responses: { tasks: [] } };
      for (const value of Object.values(command.input.ExpressionAttributeValues ?? {})) {
        if (typeof value === 'string' && Buffer.byteLength(value) > 1024) {
          throw new Error(
            'ValidationException: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
          );
        }
      }
      return command.input.Select === 'COUNT' ? { Count: 0 } : { Items: [] };
    },
  } as unknown as DynamoDBDocumentClient;

  it("refuses a token whose sort key would pass the limit after GSI5's agent prefix", async () => {
    // a token holds 600 characters at most (list-page-token.ts): two-byte ones reach the limit
    const pageToken = encodePageToken('é'.repeat(510));
    await expect(
      listTasks(strictDoc, 'tasks', TENANT, { agentId: 'echo', pageSize: 5, pageToken }, T0),
    ).rejects.toBeInstanceOf(InvalidParamsError);
    const fits = encodePageToken(`${'é'.repeat(509)}a`); // 1,019 bytes: 1,024 with 'echo#'
    await expect(
      listTasks(strictDoc, 'tasks', TENANT, { agentId: 'echo', pageSize: 5, pageToken: fits }, T0),
    ).resolves.toMatchObject({
      tasks: [],
    });
  });
});
