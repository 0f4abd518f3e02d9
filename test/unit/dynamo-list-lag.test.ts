/**
 * ListTasks while the indexes lag the table (README decision 84). On AWS a GSI is updated after
 * the table: a task that has just left SUBMITTED can still be in GSI5 (as SUBMITTED) while it is
 * already in GSI1. DynamoDB Local updates its indexes with the table, so this plays the two index
 * answers through a DocumentClient double that answers as a lagging AWS would, and refuses a
 * BatchGetItem with a key twice, as DynamoDB does.
 */
import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { agentListPk, queuedPk } from '../../adapters/dynamo/keys';
import { listTasks } from '../../adapters/dynamo/list-tasks';
import { toTaskItem } from '../../adapters/dynamo/task-items';
import { statusSortKey } from '../../adapters/shared/list-page-token';
import { TaskState } from '../../core/a2a/task-state';
import { T0, taskRecord } from '../support/factories';

const TENANT = 'tenant-a';
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** A table whose GSI1 has the task WORKING and whose GSI5 still has it SUBMITTED. */
function laggingTable() {
  const submitted = taskRecord({ tenant: TENANT, status: { state: TaskState.Submitted, timestamp: at(1) } });
  const task = { ...submitted, status: { state: TaskState.Working, timestamp: at(2) }, version: 2 };
  const item = toTaskItem(TENANT, task);
  const key = { PK: item.PK, SK: item.SK };
  const entries: Record<string, Record<string, unknown>> = {
    [agentListPk(TENANT, 'echo', task.id)]: { ...key, GSI1SK: statusSortKey(task), state: task.status.state },
    [queuedPk(TENANT, task.id)]: { ...key, GSI5SK: statusSortKey(submitted), state: TaskState.Submitted },
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
      if (distinct.size !== keys.length)
        throw new Error('ValidationException: Provided list of item keys contains duplicates');
      return { Responses: { tasks: keys.length > 0 ? [item] : [] } };
    }
    throw new Error('unexpected command');
  };
  return { task, doc: { send } as unknown as DynamoDBDocumentClient };
}

describe('ListTasks on indexes that lag the table', () => {
  it('lists a task that is in GSI1 and still in GSI5 once, where it is now', async () => {
    const { task, doc } = laggingTable();
    for (const pageSize of [1, 10]) {
      const page = await listTasks(doc, 'tasks', TENANT, { agentId: 'echo', pageSize }, T0 + 600_000);
      expect(page.tasks.map((t) => [t.id, t.status.state])).toEqual([[task.id, TaskState.Working]]);
    }
    const next = await listTasks(
      doc,
      'tasks',
      TENANT,
      {
        agentId: 'echo',
        pageSize: 1,
        pageToken: (await listTasks(doc, 'tasks', TENANT, { agentId: 'echo', pageSize: 1 }, T0))
          .nextPageToken,
      },
      T0,
    );
    expect(next.tasks).toEqual([]);
  });
});
