/**
 * `terraform apply` of terraform/ against moto, then the result checked through the AWS SDK
 * (table, TTL, PITR, queues and redrive, secret), through moto's APIs (the HTTP API with its
 * routes, authorizer, integration and stage; the streaming function URL and its policy) and
 * through the state (functions, their env and their IAM policies), then `terraform destroy`.
 *
 * The root module is applied as it is, with one test-only override: the SQS event source mappings
 * are switched off. moto 5.1.1 routes CreateEventSourceMapping only at
 * /2015-03-31/event-source-mappings/ (trailing slash); the provider's Go SDK posts to the path
 * without it and gets moto's plain 404 page, so terraform would stop there.
 * terraform-plan.test.ts checks the mappings offline.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readRemoteAgentsEnv } from '../../adapters/a2a-remote/remote-agents-env';
import { EnvReader } from '../../adapters/config/env-config';
import { TTL_ATTRIBUTE, taskTableDefinition } from '../../adapters/dynamo/table-schema';
import { type GrantTarget, LAMBDA_ENTRIES, type LambdaEntry } from '../../deploy/lambda-entries';
import { buildAll } from '../../scripts/build';
import { awsTestEnv } from '../support/moto';
import { diffPairs, expectedPairs } from './support/expected-grants';
import { describeHttpApiOnMoto, describeStreamingOnMoto } from './support/moto-apply-checks';
import { codeActions } from './support/sdk-actions';
import { createWorkspace, init, offlineProvider, TEST_VARS, type Workspace } from './support/terraform-cli';
import { fnAddress, type StateJson, stateResource, stateResources, str } from './support/tf-json';

const MOTO_SERVICES = [
  'apigatewayv2',
  'cloudformation',
  'cloudwatch',
  'cloudwatchlogs',
  'dynamodb',
  'iam',
  'lambda',
  'scheduler',
  'secretsmanager',
  'sqs',
  'sts',
];
/** unique per run: the moto server is shared with the other test files */
const PREFIX = `tfmoto-${randomBytes(3).toString('hex')}`;
const MODEL_ID = 'amazon.nova-lite-v1:0';
const APPLY_VARS = [
  ...TEST_VARS,
  `-var=name_prefix=${PREFIX}`,
  '-var=table_deletion_protection=false',
  '-var=signing_key_recovery_window_days=0',
  '-var=tracing_enabled=true',
  `-var=bedrock_model_id=${MODEL_ID}`,
  // two remote agents with secrets (the worker may read exactly those two) and one without
  `-var=remote_agents=[${[
    '{ id = "weather", card_url = "https://weather.example.com/.well-known/agent-card.json", auth = { type = "bearer", secret_id = "weather-token" } }',
    '{ id = "booking", card_url = "https://booking.example.com/card", name = "Booking", auth = { type = "oauth2", token_url = "https://idp.example.com/token", client_id = "gw", secret_id = "booking/client-secret", scopes = ["book"] } }',
    '{ id = "open", card_url = "https://open.example.com/card" }',
  ].join(', ')}]`,
];
const REMOTE_SECRETS = ['weather-token', 'booking/client-secret'];
const APPLY_TIMEOUT_MS = 300_000;

let ws: Workspace;
let state: StateJson;
let destroyed = false;
const aws = awsTestEnv(inject('motoEndpoint'));
const dynamo = new DynamoDBClient(aws);
const sqs = new SQSClient(aws);
const secrets = new SecretsManagerClient(aws);

beforeAll(async () => {
  ws = await createWorkspace('moto');
  await buildAll(LAMBDA_ENTRIES, ws.distDir);
  await writeFile(join(ws.root, 'zz_moto_override.tf'), offlineProvider(aws.endpoint, MOTO_SERVICES));
  await writeFile(
    join(ws.root, 'modules/lambda-function/zz_moto_override.tf'),
    'resource "aws_lambda_event_source_mapping" "sqs" {\n  count = 0\n}\n',
  );
  await init(ws);
  const started = Date.now();
  await ws.ok(['apply', '-auto-approve', '-refresh=false', '-input=false', '-no-color', ...APPLY_VARS], {
    timeoutMs: APPLY_TIMEOUT_MS,
  });
  console.log(`terraform apply on moto: ${Math.round((Date.now() - started) / 1000)} s`);
  state = await ws.showJson<StateJson>();
}, APPLY_TIMEOUT_MS + 60_000);

afterAll(async () => {
  if (ws && !destroyed) {
    await ws.run(['destroy', '-auto-approve', '-refresh=false', '-no-color', ...APPLY_VARS], {
      timeoutMs: APPLY_TIMEOUT_MS,
    });
  }
  await ws?.dispose();
  for (const client of [dynamo, sqs, secrets]) client.destroy();
}, APPLY_TIMEOUT_MS);

const tableName = `${PREFIX}-tasks`;
const queueAttributes = async (name: string): Promise<Record<string, string>> => {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
  return out.Attributes ?? {};
};

describe('terraform apply on moto', () => {
  it('creates the table with the keys, indexes, TTL and PITR of table-schema.ts', async () => {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    const code = taskTableDefinition(tableName);
    expect(Table?.KeySchema).toEqual(code.KeySchema);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const byName = <T extends { AttributeName?: string | undefined }>(a: T, b: T): number =>
      (a.AttributeName ?? '').localeCompare(b.AttributeName ?? '');
    expect([...(Table?.AttributeDefinitions ?? [])].sort(byName)).toEqual(
      [...(code.AttributeDefinitions ?? [])].sort(byName),
    );
    const indexes = (Table?.GlobalSecondaryIndexes ?? [])
      .map((i) => ({ name: i.IndexName, keys: i.KeySchema, projection: i.Projection?.ProjectionType }))
      .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
    expect(indexes).toEqual(
      (code.GlobalSecondaryIndexes ?? []).map((i) => ({
        name: i.IndexName,
        keys: i.KeySchema,
        projection: i.Projection?.ProjectionType,
      })),
    );
    const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: TTL_ATTRIBUTE,
      TimeToLiveStatus: 'ENABLED',
    });
    const backups = await dynamo.send(new DescribeContinuousBackupsCommand({ TableName: tableName }));
    expect(
      backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus,
    ).toBe('ENABLED');
  });

  it('creates each queue with its DLQ, the redrive and a visibility timeout of 6 x its consumer timeout', async () => {
    const consumerTimeout = (queue: string) =>
      Math.max(
        0,
        ...LAMBDA_ENTRIES.filter((e) => e.trigger.type === 'sqs' && e.trigger.queue === queue).map(
          (e) => e.timeoutSeconds,
        ),
      );
    for (const [queue, maxReceiveCount, timeout] of [
      ['work', 5, consumerTimeout('work-queue')],
      ['push', 8, consumerTimeout('push-queue')],
    ] as const) {
      const main = await queueAttributes(`${PREFIX}-${queue}`);
      const dlq = await queueAttributes(`${PREFIX}-${queue}-dlq`);
      expect(JSON.parse(main.RedrivePolicy ?? '{}')).toEqual({
        deadLetterTargetArn: dlq.QueueArn,
        maxReceiveCount,
      });
      expect(Number(main.VisibilityTimeout)).toBe(Math.max(30, 6 * timeout));
      expect(dlq.MessageRetentionPeriod).toBe('1209600');
      expect([main.SqsManagedSseEnabled, dlq.SqsManagedSseEnabled]).toEqual(['true', 'true']);
    }
  });

  it('creates the signing-key secret, empty until the first rotation writes a key', async () => {
    const secret = await secrets.send(new DescribeSecretCommand({ SecretId: `${PREFIX}/push-signing-keys` }));
    expect(secret.ARN).toBe(
      str(stateResource(state, 'module.signing_key.aws_secretsmanager_secret.this'), 'arn'),
    );
    expect(Object.keys(secret.VersionIdsToStages ?? {})).toEqual([]);
  });

  for (const entry of LAMBDA_ENTRIES) {
    it(`creates ${entry.name} with its runtime, handler, tracing and env contract`, () => {
      const fn = stateResource(state, fnAddress(entry.name, 'aws_lambda_function.this'));
      expect([fn.runtime, fn.handler]).toEqual(['nodejs22.x', `index.${entry.handler}`]);
      expect(fn.tracing_config).toEqual([{ mode: 'Active' }]);
      const env = ((fn.environment as { variables?: Record<string, string> }[] | undefined)?.[0]?.variables ??
        {}) as Record<string, string>;
      const optionalUnset = [
        'OAUTH_TOKEN_URL',
        'WEBHOOK_ALLOW_HTTP_HOSTS',
        'REMOTE_AGENTS_ALLOW_HTTP_HOSTS',
        // the streaming function is never given its own URL
        ...(entry.trigger.type === 'function-url' ? ['STREAMING_URL'] : []),
      ];
      expect(Object.keys(env).sort()).toEqual(entry.env.filter((n) => !optionalUnset.includes(n)).sort());
      if ('TABLE_NAME' in env) expect(env.TABLE_NAME).toBe(tableName);
      expect(env).not.toHaveProperty('AWS_REGION');
    });
  }
});

describeHttpApiOnMoto({ endpoint: aws.endpoint, prefix: PREFIX, state: () => state });
describeStreamingOnMoto({ endpoint: aws.endpoint, prefix: PREFIX, state: () => state });

describe('remote agents', () => {
  it('reach the gateway and the worker as the REMOTE_AGENTS their config modules read', () => {
    for (const name of ['gateway', 'agent-worker']) {
      const fn = stateResource(state, fnAddress(name, 'aws_lambda_function.this'));
      const env = (fn.environment as { variables: Record<string, string> }[])[0]?.variables ?? {};
      const r = new EnvReader(env, name);
      expect(r.done(readRemoteAgentsEnv(r)).agents).toEqual([
        {
          id: 'weather',
          cardUrl: 'https://weather.example.com/.well-known/agent-card.json',
          auth: { type: 'bearer', secretId: 'weather-token' },
        },
        {
          id: 'booking',
          cardUrl: 'https://booking.example.com/card',
          name: 'Booking',
          auth: {
            type: 'oauth2',
            tokenUrl: 'https://idp.example.com/token',
            clientId: 'gw',
            secretId: 'booking/client-secret',
            scopes: ['book'],
          },
        },
        { id: 'open', cardUrl: 'https://open.example.com/card' },
      ]);
    }
  });
});

describe('least-privilege IAM: each role allows exactly what its code calls', () => {
  const arnOf = (address: string): string => str(stateResource(state, address), 'arn');

  /** Exact ARNs behind each grant target, read from the applied state. */
  function targetArns(): Record<GrantTarget, string[]> {
    const table = stateResource(state, 'module.table.aws_dynamodb_table.this');
    const account = str(table, 'arn').split(':')[4];
    const indexes = (table.global_secondary_index as { name: string }[]).map(
      (i) => `${str(table, 'arn')}/index/${i.name}`,
    );
    return {
      table: [str(table, 'arn')],
      'table-indexes': indexes.sort(),
      'work-queue': [arnOf('module.work_queue.aws_sqs_queue.this')],
      'push-queue': [arnOf('module.push_queue.aws_sqs_queue.this')],
      'work-dlq': [arnOf('module.work_queue.aws_sqs_queue.dlq')],
      'push-dlq': [arnOf('module.push_queue.aws_sqs_queue.dlq')],
      'signing-key-secret': [arnOf('module.signing_key.aws_secretsmanager_secret.this')],
      'remote-agent-secrets': REMOTE_SECRETS.map(
        (name) => `arn:aws:secretsmanager:us-east-1:${account}:secret:${name}-??????`,
      ),
      'bedrock-model': [`arn:aws:bedrock:us-east-1::foundation-model/${MODEL_ID}`],
    };
  }

  /** What the role must allow: the code's calls, plus the platform's needs, each for its reason. */
  async function expectedPolicy(entry: LambdaEntry): Promise<Set<string>> {
    const arns = targetArns();
    const pairs = new Set<string>();
    for (const pair of expectedPairs(entry, await codeActions(entry))) {
      const [action = '', target = ''] = pair.split(' ');
      for (const arn of arns[target as GrantTarget]) pairs.add(`${action} ${arn}`);
    }
    // Lambda writes the function's logs with its role, into streams it names at run time.
    const logGroup = arnOf(fnAddress(entry.name, 'aws_cloudwatch_log_group.this'));
    for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) pairs.add(`${action} ${logGroup}:*`);
    // An SQS event source mapping polls and deletes with the function's role.
    if (entry.trigger.type === 'sqs') {
      for (const arn of arns[entry.trigger.queue]) {
        for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes']) {
          pairs.add(`${action} ${arn}`);
        }
      }
    }
    // Active tracing: X-Ray's write actions have no resource-level permissions, so "*".
    for (const action of ['xray:PutTraceSegments', 'xray:PutTelemetryRecords']) pairs.add(`${action} *`);
    return pairs;
  }

  function deployedPolicy(entry: LambdaEntry): Set<string> {
    const policy = JSON.parse(
      str(stateResource(state, fnAddress(entry.name, 'aws_iam_role_policy.this')), 'policy'),
    ) as {
      Statement: { Effect: string; Action: string | string[]; Resource: string | string[] }[];
    };
    const pairs = new Set<string>();
    for (const s of policy.Statement) {
      expect(s.Effect).toBe('Allow');
      for (const action of [s.Action].flat())
        for (const resource of [s.Resource].flat()) pairs.add(`${action} ${resource}`);
    }
    return pairs;
  }

  for (const entry of LAMBDA_ENTRIES) {
    it(`${entry.name}: no action missing, none extra, each on its exact resources`, async () => {
      expect(diffPairs(await expectedPolicy(entry), deployedPolicy(entry))).toEqual({
        missing: [],
        extra: [],
      });
    });
  }

  it('lets only Lambda assume the function roles', () => {
    for (const entry of LAMBDA_ENTRIES) {
      const role = stateResource(state, fnAddress(entry.name, 'aws_iam_role.this'));
      const trust = JSON.parse(str(role, 'assume_role_policy')) as { Statement: { Principal: unknown }[] };
      expect(trust.Statement.map((s) => s.Principal)).toEqual([{ Service: 'lambda.amazonaws.com' }]);
    }
  });
});

describe('terraform destroy on moto', () => {
  it(
    'removes what apply created',
    async () => {
      expect(stateResources(state).length).toBeGreaterThan(0);
      await ws.ok(
        ['destroy', '-auto-approve', '-refresh=false', '-input=false', '-no-color', ...APPLY_VARS],
        {
          timeoutMs: APPLY_TIMEOUT_MS,
        },
      );
      destroyed = true;
      await expect(dynamo.send(new DescribeTableCommand({ TableName: tableName }))).rejects.toThrow(
        /not found/i,
      );
      await expect(sqs.send(new GetQueueUrlCommand({ QueueName: `${PREFIX}-work` }))).rejects.toThrow();
      expect(stateResources(await ws.showJson<StateJson>())).toEqual([]);
    },
    APPLY_TIMEOUT_MS,
  );
});
