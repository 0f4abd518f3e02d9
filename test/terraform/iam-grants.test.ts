/**
 * Each entry in deploy/lambda-entries.ts grants exactly what its bundled code calls: no AWS
 * action missing (the function would fail with AccessDenied), none extra (least privilege).
 * The deployed policy is checked against the same expectation in moto-apply.test.ts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAMBDA_ENTRIES, type LambdaEntry } from '../../deploy/lambda-entries';
import { diffPairs, expectedPairs, grantedPairs } from './support/expected-grants';
import { codeActions } from './support/sdk-actions';

describe('Lambda grants match the AWS calls in each bundle', () => {
  for (const entry of LAMBDA_ENTRIES) {
    it(`${entry.name}: grants every action its code calls, and nothing more`, async () => {
      const code = await codeActions(entry);
      expect(diffPairs(expectedPairs(entry, code), grantedPairs(entry))).toEqual({ missing: [], extra: [] });
    });
  }

  it('finds the task store and work queue calls in the gateway bundle', async () => {
    const gateway = LAMBDA_ENTRIES.find((e) => e.name === 'gateway');
    if (!gateway) throw new Error('no gateway entry');
    const code = await codeActions(gateway);
    expect(code.actions).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'sqs:SendMessage']),
    );
    expect(code.actions).not.toContain('dynamodb:TransactWriteItems'); // not an IAM action
    expect(code.queriesIndexes).toBe(true);
  });

  it('finds no AWS calls in the authorizer bundle', async () => {
    const authorizer = LAMBDA_ENTRIES.find((e) => e.name === 'authorizer');
    if (!authorizer) throw new Error('no authorizer entry');
    expect((await codeActions(authorizer)).actions).toEqual([]);
  });

  describe('with a handler that starts calling something new', () => {
    const dirs: string[] = [];
    afterAll(async () => {
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    });

    async function entryFor(source: string, grants: LambdaEntry['grants']): Promise<LambdaEntry> {
      const dir = await mkdtemp(join(tmpdir(), 'a2a-grants-'));
      dirs.push(dir);
      const file = join(dir, 'handler.ts');
      await writeFile(file, source);
      return {
        name: 'probe',
        entry: file,
        handler: 'handler',
        description: 'probe',
        env: ['WORK_QUEUE_URL'],
        grants,
        trigger: { type: 'schedule' },
        memoryMb: 128,
        timeoutSeconds: 3,
      };
    }

    const purgingHandler = `
      import { PurgeQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
      const sqs = new SQSClient({});
      export const handler = async () => {
        await sqs.send(new SendMessageCommand({ QueueUrl: process.env.WORK_QUEUE_URL, MessageBody: 'x' }));
        await sqs.send(new PurgeQueueCommand({ QueueUrl: process.env.WORK_QUEUE_URL }));
      };`;

    it('reports the action the role lacks', async () => {
      const entry = await entryFor(purgingHandler, [
        { sid: 'Send', actions: ['sqs:SendMessage'], on: ['work-queue'] },
      ]);
      expect(diffPairs(expectedPairs(entry, await codeActions(entry)), grantedPairs(entry))).toEqual({
        missing: ['sqs:PurgeQueue work-queue'],
        extra: [],
      });
    });

    it('reports the action the code never calls', async () => {
      const entry = await entryFor(purgingHandler, [
        {
          sid: 'Queue',
          actions: ['sqs:PurgeQueue', 'sqs:SendMessage', 'sqs:DeleteMessage'],
          on: ['work-queue'],
        },
      ]);
      expect(diffPairs(expectedPairs(entry, await codeActions(entry)), grantedPairs(entry))).toEqual({
        missing: [],
        extra: ['sqs:DeleteMessage work-queue'],
      });
    });

    it('turns a transaction into the actions of the item kinds it writes', async () => {
      const entry = await entryFor(
        `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
         import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
         const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
         export const handler = () => doc.send(new TransactWriteCommand({ TransactItems: [
           { Put: { TableName: 't', Item: { PK: 'a', SK: 'b' } } },
           { ConditionCheck: { TableName: 't', Key: { PK: 'c', SK: 'd' }, ConditionExpression: 'attribute_exists(PK)' } },
         ] }));`,
        [],
      );
      expect((await codeActions(entry)).actions).toEqual(['dynamodb:ConditionCheckItem', 'dynamodb:PutItem']);
    });

    it('refuses a call whose resource the env contract does not name', async () => {
      const entry = await entryFor(
        `import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
         export const handler = () => new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: 'x' }));`,
        [],
      );
      expect(() =>
        expectedPairs(entry, {
          actions: ['secretsmanager:GetSecretValue'],
          queriesIndexes: false,
          thirdParty: [],
          modules: [],
        }),
      ).toThrow(/calls secretsmanager:GetSecretValue but its env names no secretsmanager resource/);
      await expect(codeActions(entry)).resolves.toMatchObject({ actions: ['secretsmanager:GetSecretValue'] });
    });
  });
});
