/**
 * A push-lease refusal on DynamoDB ends in a knock even when the lease changes hands between
 * the take and the knock several times over: an unknocked holder never looks at the log again,
 * and a refused trigger comes back only when a lease could have ended (minutes in AWS). A
 * middleware on the client plays the flaps: before each knock the holder releases; before the
 * next take another dispatcher has the lease. DynamoDB Local.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { pushSk, taskPk } from '../../adapters/dynamo/keys';
import { localDynamoClient, useStoreTable } from '../support/dynamo-client';
import { ctx, newTask, pushConfig, testClock, uniqueId } from '../support/factories';

const tableName = `push-flap-${randomUUID()}`;
const raw = localDynamoClient();
const plain = DynamoDBDocumentClient.from(localDynamoClient());
const clock = testClock();
const store = new DynamoTaskStore({ client: DynamoDBDocumentClient.from(raw), tableName, clock });

useStoreTable(raw, tableName);

describe('DynamoDB push lease: a refusal while the lease changes hands', () => {
  it('still knocks on the holder it finally meets, after three flaps', async () => {
    const me = ctx(uniqueId('tenant'));
    const input = newTask({ tenant: me.principal.tenant, hasPush: true });
    const taskId = input.task.id;
    await store.create(me, { ...input, pushConfigs: [pushConfig(taskId, { id: 'cfg' })] });
    const Key = { PK: taskPk(me.principal.tenant, taskId), SK: pushSk('cfg') };
    const until = clock.now() + 60_000;
    const holdBy = (owner: string) =>
      plain.send(
        new UpdateCommand({
          TableName: tableName,
          Key,
          UpdateExpression: 'SET dispatchLease = :lease',
          ExpressionAttributeValues: { ':lease': { owner, until } },
        }),
      );
    const release = () =>
      plain.send(new UpdateCommand({ TableName: tableName, Key, UpdateExpression: 'REMOVE dispatchLease' }));
    await holdBy('holder-0');

    let flaps = 0;
    let releasedForKnock = false;
    raw.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { UpdateExpression?: string };
        const knock = input.UpdateExpression === 'SET #knock = :true';
        const take = input.UpdateExpression?.startsWith('SET #lease = :lease') === true;
        if (flaps < 3 && knock) {
          await release(); // the holder released between the refusal and the knock
          releasedForKnock = true;
        } else if (flaps < 3 && take && releasedForKnock) {
          flaps += 1;
          releasedForKnock = false;
          await holdBy(`holder-${flaps}`); // and another dispatcher took it before this try
        }
        return next(args);
      },
      { step: 'initialize', name: 'leaseFlaps' },
    );

    const taken = await store.acquirePushLease(
      me,
      taskId,
      'cfg',
      { owner: 'me', until: clock.now() + 60_000 },
      clock.now(),
    );
    raw.middlewareStack.remove('leaseFlaps');
    expect(taken).toBeUndefined();
    expect(flaps).toBe(3);
    const item = (await plain.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }))).Item;
    expect(item?.dispatchLease?.owner).toBe('holder-3');
    expect(item?.dispatchKnock).toBe(true);
  });
});
