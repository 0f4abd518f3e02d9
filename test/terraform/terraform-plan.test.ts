/**
 * terraform/ offline: fmt, init from the plugin mirror, validate, and `plan -refresh=false` with
 * dummy credentials. The plan is read as JSON and held against the code: the functions and env
 * contract from deploy/lambda-entries.ts, the table from table-schema.ts, the routes, queues,
 * triggers and alarms the design asks for.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TTL_ATTRIBUTE, taskTableDefinition } from '../../adapters/dynamo/table-schema';
import { LAMBDA_ENTRIES, type LambdaEntry } from '../../deploy/lambda-entries';
import { expectedResourceCounts, FUTURE_ENTRIES, writeFixtureDist } from './support/fixture-dist';
import { describeHttpApiPlan, describeStreamingPlan } from './support/plan-api-checks';
import { REPO_ROOT } from './support/sdk-actions';
import {
  createWorkspace,
  init,
  offlineProvider,
  type RunResult,
  TEST_VARS,
  type Workspace,
} from './support/terraform-cli';
import { countByType, createdResources, fnAddress, type PlanJson, planned } from './support/tf-json';

/** Every optional value set, so each function gets every variable it lists. */
const PLAN_VARS = [
  ...TEST_VARS,
  '-var=oauth_token_url=https://issuer.example.com/oauth2/token',
  '-var=webhook_allow_http_hosts=["localhost","10.0.0.7","::1","[fd00::7]"]',
  '-var=streaming={url="https://stream.example.com"}',
  '-var=remote_agents=[{ id = "weather", card_url = "https://weather.example.com/card" }]',
  '-var=remote_agents_allow_http_hosts=["weather.internal"]',
];

let ws: Workspace;

interface GsiPlan {
  name: string;
  hash_key: string;
  range_key: string;
  projection_type: string;
  non_key_attributes?: string[] | null;
}

/** Plans run side by side (no state to lock); each writes its own plan file. */
const PLAN = ['plan', '-refresh=false', '-lock=false', '-input=false', '-no-color', ...PLAN_VARS];

async function plan(name: string, extraArgs: readonly string[] = []): Promise<PlanJson> {
  await ws.ok([...PLAN, `-out=${name}.tfplan`, ...extraArgs]);
  return ws.showJson<PlanJson>(`${name}.tfplan`);
}

/** Starts a promise now and marks it handled; tests await it later. */
function started<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

const added = FUTURE_ENTRIES.filter((f) => !LAMBDA_ENTRIES.some((e) => e.name === f.name));
const moreEntries = [...LAMBDA_ENTRIES, ...added];
const KMS_KEY = 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000';

let plans: {
  entries: Promise<PlanJson>;
  more: Promise<PlanJson>;
  streamUrl: Promise<PlanJson>;
  noStreaming: Promise<PlanJson>;
  shortVisibility: Promise<RunResult>;
  remoteWithoutSecret: Promise<RunResult>;
  remoteOriginWithPath: Promise<RunResult>;
  longRouterWait: Promise<RunResult>;
  httpHostWithPort: Promise<RunResult>;
  unknownEnv: Promise<RunResult>;
  noBuild: Promise<RunResult>;
  example: Promise<RunResult>;
};

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const first = (v: unknown): Record<string, unknown> => (list(v)[0] ?? {}) as Record<string, unknown>;

beforeAll(async () => {
  ws = await createWorkspace('plan');
  await writeFixtureDist(ws.distDir, LAMBDA_ENTRIES);
  await writeFile(join(ws.root, 'zz_offline_override.tf'), offlineProvider());
  await writeFixtureDist(join(ws.dir, 'dist-more'), moreEntries);
  const [base] = LAMBDA_ENTRIES;
  if (!base) throw new Error('no entries');
  const odd: LambdaEntry = { ...base, name: 'odd-one', env: ['TABLE_NAME', 'NOT_IN_THE_ENV_MAP'] };
  await writeFixtureDist(join(ws.dir, 'dist-odd'), [...LAMBDA_ENTRIES, odd]);
  await init(ws);
  plans = {
    entries: started(plan('entries')),
    more: started(
      plan('more', [
        `-var=dist_dir=${join(ws.dir, 'dist-more')}`,
        `-var=table_kms_key_arn=${KMS_KEY}`,
        '-var=tracing_enabled=true',
      ]),
    ),
    // streaming.url unset: the cards advertise the streaming function's own URL
    streamUrl: started(plan('stream-url', ['-var=streaming={}'])),
    noStreaming: started(plan('no-streaming', ['-var=streaming={ enabled = false }'])),
    shortVisibility: started(ws.run([...PLAN, '-var=work_queue_visibility_timeout_seconds=60'])),
    remoteWithoutSecret: started(
      ws.run([
        ...PLAN,
        '-var=remote_agents=[{ id = "w", card_url = "https://w.example.com/c", auth = { type = "bearer" } }]',
      ]),
    ),
    remoteOriginWithPath: started(
      ws.run([
        ...PLAN,
        '-var=remote_agents=[{ id = "w", card_url = "https://w.example.com/c", allowed_origins = ["https://api.example.com/a2a"] }]',
      ]),
    ),
    longRouterWait: started(ws.run([...PLAN, '-var=router_subtask_timeout_ms=300000'])),
    httpHostWithPort: started(
      ws.run([...PLAN, '-var=webhook_allow_http_hosts=["receiver.test","localhost:8080"]']),
    ),
    unknownEnv: started(ws.run([...PLAN, `-var=dist_dir=${join(ws.dir, 'dist-odd')}`])),
    noBuild: started(ws.run([...PLAN, `-var=dist_dir=${join(ws.dir, 'dist-not-built')}`])),
    example: started(
      ws.run([
        'plan',
        '-refresh=false',
        '-lock=false',
        '-input=false',
        '-no-color',
        '-var-file=examples/basic.tfvars',
        '-out=example.tfplan',
      ]),
    ),
  };
}, 120_000);

afterAll(async () => {
  await ws?.dispose();
});

describe('terraform/ offline checks', () => {
  it('is formatted (terraform fmt -check -recursive)', async () => {
    const result = await ws.run(['fmt', '-check', '-recursive', '-no-color', join(REPO_ROOT, 'terraform')]);
    expect(result.stdout, 'files terraform fmt would change').toBe('');
    expect(result.code).toBe(0);
  });

  it('validates', async () => {
    expect(await ws.ok(['validate', '-no-color'])).toContain('The configuration is valid');
  }, 120_000);

  it('plans examples/basic.tfvars as it stands', async () => {
    const result = await plans.example;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 120_000);

  it('deploys the example with the deterministic local model (no Bedrock access needed)', async () => {
    expect((await plans.example).code).toBe(0);
    const p = await ws.showJson<PlanJson & { variables?: Record<string, { value: unknown }> }>(
      'example.tfplan',
    );
    expect(p.variables?.model_provider?.value).toBe('local');
  }, 120_000);

  it('says to run npm run build first when dist/manifest.json is missing', async () => {
    const result = await plans.noBuild;
    expect(result.code).not.toBe(0);
    const stderr = result.stderr.replace(/\s+/g, ' ');
    expect(stderr).toContain('Run `npm run build` first');
    expect(stderr).toContain(`${join(ws.dir, 'dist-not-built')}/manifest.json is missing`);
    expect(stderr).not.toContain('no file exists');
  }, 120_000);
});

describe('the offline plan for deploy/lambda-entries.ts', () => {
  let p: PlanJson;
  beforeAll(async () => {
    p = await plans.entries;
  }, 120_000);

  it('creates exactly the expected resources', () => {
    const created = createdResources(p);
    console.log(`terraform plan: ${created.length} resources for ${LAMBDA_ENTRIES.length} functions`);
    expect(countByType(created)).toEqual(expectedResourceCounts(LAMBDA_ENTRIES));
    expect(
      (p.resource_changes ?? []).every((r) => r.mode === 'data' || r.change.actions.join() === 'create'),
    ).toBe(true);
  });

  it('defines the table exactly as adapters/dynamo/table-schema.ts does', () => {
    const table = planned(p, 'module.table.aws_dynamodb_table.this');
    const code = taskTableDefinition('unused');
    const keyOf = (type: 'HASH' | 'RANGE', schema = code.KeySchema ?? []): string | undefined =>
      schema.find((k) => k.KeyType === type)?.AttributeName;
    expect(table.billing_mode).toBe(code.BillingMode);
    expect([table.hash_key, table.range_key]).toEqual([keyOf('HASH'), keyOf('RANGE')]);
    expect(list(table.attribute).map((a) => a as { name: string; type: string })).toEqual(
      expect.arrayContaining(
        (code.AttributeDefinitions ?? []).map((a) => ({ name: a.AttributeName, type: a.AttributeType })),
      ),
    );
    expect(list(table.attribute)).toHaveLength(code.AttributeDefinitions?.length ?? 0);
    const indexes = list(table.global_secondary_index).map((i) => {
      const gsi = i as GsiPlan;
      const nonKey = [...(gsi.non_key_attributes ?? [])].sort();
      return {
        name: gsi.name,
        hash: gsi.hash_key,
        range: gsi.range_key,
        projection: gsi.projection_type,
        nonKey,
      };
    });
    expect(indexes.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      (code.GlobalSecondaryIndexes ?? []).map((i) => ({
        name: i.IndexName,
        hash: keyOf('HASH', i.KeySchema),
        range: keyOf('RANGE', i.KeySchema),
        projection: i.Projection?.ProjectionType,
        nonKey: [...(i.Projection?.NonKeyAttributes ?? [])].sort(),
      })),
    );
    expect(first(table.ttl)).toEqual({ attribute_name: TTL_ATTRIBUTE, enabled: true });
    expect(first(table.point_in_time_recovery).enabled).toBe(true);
    expect(table.deletion_protection_enabled).toBe(true);
  });

  for (const entry of LAMBDA_ENTRIES) {
    it(`deploys ${entry.name} from its zip with exactly the env variables it reads`, async () => {
      const fn = planned(p, fnAddress(entry.name, 'aws_lambda_function.this'));
      const zip = await readFile(join(ws.distDir, `${entry.name}.zip`));
      expect(fn.runtime).toBe('nodejs22.x');
      expect(fn.handler).toBe(`index.${entry.handler}`);
      expect(fn.source_code_hash).toBe(createHash('sha256').update(zip).digest('base64'));
      expect([fn.memory_size, fn.timeout]).toEqual([entry.memoryMb, entry.timeoutSeconds]);
      expect(first(fn.tracing_config).mode).toBe('PassThrough');
      expect(first(fn.logging_config).log_group).toBe(`/aws/lambda/a2a-gateway-${entry.name}`);
      expect(envNames(p, entry)).toEqual([...entry.env].sort());
      const logs = planned(p, fnAddress(entry.name, 'aws_cloudwatch_log_group.this'));
      expect(logs.retention_in_days).toBe(30);
    });
  }

  it('triggers each queue consumer with partial batch failures', () => {
    for (const entry of LAMBDA_ENTRIES.filter((e) => e.trigger.type === 'sqs')) {
      const esm = planned(p, fnAddress(entry.name, 'aws_lambda_event_source_mapping.sqs[0]'));
      expect(esm.function_response_types).toEqual(['ReportBatchItemFailures']);
      expect(esm.batch_size).toBe(entry.trigger.type === 'sqs' ? entry.trigger.batchSize : undefined);
    }
  });

  it('sizes the work queue visibility timeout at 6 x its consumer timeout', () => {
    const consumers = LAMBDA_ENTRIES.filter(
      (e) => e.trigger.type === 'sqs' && e.trigger.queue === 'work-queue',
    );
    const longest = Math.max(...consumers.map((e) => e.timeoutSeconds));
    expect(planned(p, 'module.work_queue.aws_sqs_queue.this').visibility_timeout_seconds).toBe(6 * longest);
    for (const q of ['work_queue', 'push_queue']) {
      expect(planned(p, `module.${q}.aws_sqs_queue.dlq`).message_retention_seconds).toBe(1_209_600);
      expect(planned(p, `module.${q}.aws_sqs_queue.this`).sqs_managed_sse_enabled).toBe(true);
    }
  });

  it('alarms on any dead letter and on errors of every function', () => {
    for (const dlq of ['work', 'push']) {
      expect(planned(p, `module.alarms.aws_cloudwatch_metric_alarm.dlq_depth["${dlq}"]`)).toMatchObject({
        namespace: 'AWS/SQS',
        metric_name: 'ApproximateNumberOfMessagesVisible',
        comparison_operator: 'GreaterThanThreshold',
        threshold: 0,
        dimensions: { QueueName: `a2a-gateway-${dlq}-dlq` },
      });
    }
    for (const entry of LAMBDA_ENTRIES) {
      expect(
        planned(p, `module.alarms.aws_cloudwatch_metric_alarm.function_errors["${entry.name}"]`),
      ).toMatchObject({
        namespace: 'AWS/Lambda',
        metric_name: 'Errors',
        dimensions: { FunctionName: `a2a-gateway-${entry.name}` },
      });
    }
  });

  it('outputs the endpoint, card and JWKS URLs, the table and the queues', () => {
    expect(Object.keys(p.planned_values?.outputs ?? {})).toEqual(
      expect.arrayContaining([
        'endpoint_url',
        'streaming_url',
        'agent_card_url',
        'jwks_url',
        'table_name',
        'work_queue_name',
        'work_queue_url',
        'push_queue_name',
        'push_queue_url',
        'signing_key_secret_arn',
      ]),
    );
    expect(p.planned_values?.outputs?.table_name?.value).toBe('a2a-gateway-tasks');
  });

  it('refuses a work queue visibility timeout below 6 x the worker timeout', async () => {
    const result = await plans.shortVisibility;
    expect(result.code).not.toBe(0);
    expect(result.stderr.replace(/\s+/g, ' ')).toContain('is below 6 x the consumer timeout');
  }, 120_000);

  it('refuses a remote agent with bearer auth but no secret', async () => {
    const result = await plans.remoteWithoutSecret;
    expect(result.code).not.toBe(0);
    expect(result.stderr.replace(/\s+/g, ' ')).toContain('bearer (with secret_id)');
  }, 120_000);

  it('refuses a remote agent allowed origin with a path', async () => {
    const result = await plans.remoteOriginWithPath;
    expect(result.code).not.toBe(0);
    expect(result.stderr.replace(/\s+/g, ' ')).toContain('allowed_origins must be origins');
  }, 120_000);

  it("refuses a router wait as long as the agent worker's timeout", async () => {
    const result = await plans.longRouterWait;
    expect(result.code).not.toBe(0);
    expect(result.stderr.replace(/\s+/g, ' ')).toContain('router_subtask_timeout_ms must be shorter');
  }, 120_000);

  it('refuses a webhook_allow_http_hosts entry with a port, which would never match', async () => {
    const result = await plans.httpHostWithPort;
    expect(result.code).not.toBe(0);
    const stderr = result.stderr.replace(/\s+/g, ' ');
    expect(stderr).toContain('webhook_allow_http_hosts must hold host names or IP addresses without a port');
  }, 120_000);
});

describeHttpApiPlan(() => plans.entries);
describeStreamingPlan(
  () => plans.streamUrl,
  () => plans.noStreaming,
);

describe('a build with more functions', () => {
  const entries = moreEntries;
  let p: PlanJson;
  beforeAll(async () => {
    p = await plans.more;
  }, 120_000);

  it('gets each new function, role, alarm and trigger from the manifest alone', () => {
    expect(countByType(createdResources(p))).toEqual(expectedResourceCounts(entries));
    for (const entry of added) {
      expect(envNames(p, entry)).toEqual([...entry.env].sort());
      expect(first(planned(p, fnAddress(entry.name, 'aws_lambda_function.this')).tracing_config).mode).toBe(
        'Active',
      );
    }
  });

  it('schedules only the scheduled function', () => {
    const schedules = createdResources(p).filter((r) => r.type === 'aws_scheduler_schedule');
    expect(schedules.map((r) => r.address)).toEqual(
      entries
        .filter((e) => e.trigger.type === 'schedule')
        .map((e) => `module.schedule["${e.name}"].aws_scheduler_schedule.this`),
    );
    expect(schedules[0]?.change.after?.schedule_expression).toBe('rate(1 minute)');
  });

  it('sizes every consumed queue, dead-letter queues included, at 6 x its consumer timeout', () => {
    const timeoutOf = (queue: string): number =>
      Math.max(
        0,
        ...entries
          .filter((e) => e.trigger.type === 'sqs' && e.trigger.queue === queue)
          .map((e) => e.timeoutSeconds),
      );
    const visibility = (address: string): unknown => planned(p, address).visibility_timeout_seconds;
    expect(visibility('module.push_queue.aws_sqs_queue.this')).toBe(
      Math.max(30, 6 * timeoutOf('push-queue')),
    );
    expect(visibility('module.work_queue.aws_sqs_queue.dlq')).toBe(Math.max(30, 6 * timeoutOf('work-dlq')));
  });

  it('encrypts the table with the given KMS key', () => {
    expect(first(planned(p, 'module.table.aws_dynamodb_table.this').server_side_encryption)).toMatchObject({
      enabled: true,
      kms_key_arn: KMS_KEY,
    });
  });

  it('stops with the names when an entry reads an env variable terraform/env.tf does not set', async () => {
    const result = await plans.unknownEnv;
    expect(result.code).not.toBe(0);
    expect(result.stderr.replace(/\s+/g, ' ')).toContain('odd-one: NOT_IN_THE_ENV_MAP');
  }, 120_000);
});

/**
 * The env variable names a function gets, from the function_env_names output (the provider plans
 * a Lambda's whole env map as unknown once any value is, so the resource cannot show them).
 */
function envNames(p: PlanJson, entry: LambdaEntry): string[] {
  const byFunction = p.planned_values?.outputs?.function_env_names?.value as
    | Record<string, string[]>
    | undefined;
  return [...(byFunction?.[entry.name] ?? [])];
}
