/**
 * A dist/ folder for Terraform tests that need no real bundles: the manifest exactly as
 * `npm run build` writes it (same functions from deploy/lambda-entries.ts), with tiny zips.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LambdaEntry } from '../../../deploy/lambda-entries';
import { buildManifest, manifestFunction } from '../../../deploy/lambda-manifest';
import { BUNDLE_FILE, createZip } from '../../../scripts/build';
import { expectedRoutes } from './a2a-routes';

export async function writeFixtureDist(dir: string, entries: readonly LambdaEntry[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const functions = await Promise.all(
    entries.map(async (entry) => {
      const code = Buffer.from(
        `export const ${entry.handler} = async () => ({ fixture: '${entry.name}' });\n`,
      );
      const zip = createZip([{ name: BUNDLE_FILE, data: code }]);
      await writeFile(join(dir, `${entry.name}.zip`), zip);
      return manifestFunction(entry, createHash('sha256').update(zip).digest('hex'));
    }),
  );
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(buildManifest(functions), null, 2));
}

const STORE_GRANTS: LambdaEntry['grants'] = [
  {
    sid: 'TaskItems',
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
    on: ['table'],
  },
  { sid: 'TaskQueries', actions: ['dynamodb:Query'], on: ['table', 'table-indexes'] },
];

/**
 * The functions other teams are adding, shaped like their config modules: used to show that
 * Terraform picks a new entry up from the manifest alone (its trigger, schedule, role, alarm).
 */
export const FUTURE_ENTRIES: readonly LambdaEntry[] = [
  {
    name: 'push-dispatcher',
    entry: 'workers/push-dispatcher/lambda.ts',
    handler: 'handler',
    description: 'Delivers signed webhooks',
    env: [
      'TABLE_NAME',
      'PUSH_QUEUE_URL',
      'PUSH_SIGNING_SECRET_ID',
      'PUSH_ISSUER',
      'LOG_LEVEL',
      'PUSH_TIMEOUT_MS',
    ],
    grants: [
      ...STORE_GRANTS,
      { sid: 'SigningKeys', actions: ['secretsmanager:GetSecretValue'], on: ['signing-key-secret'] },
      { sid: 'PushQueue', actions: ['sqs:SendMessage'], on: ['push-queue'] },
    ],
    trigger: { type: 'sqs', queue: 'push-queue', batchSize: 10 },
    memoryMb: 512,
    timeoutSeconds: 60,
  },
  {
    name: 'dlq-consumer',
    entry: 'workers/dlq-consumer/lambda.ts',
    handler: 'handler',
    description: 'Fails the tasks whose work reached the work DLQ',
    env: ['TABLE_NAME', 'LOG_LEVEL', 'LEASE_SECONDS', 'RETENTION_DAYS'],
    grants: STORE_GRANTS,
    trigger: { type: 'sqs', queue: 'work-dlq', batchSize: 10 },
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  {
    name: 'reconciler',
    entry: 'workers/reconciler/lambda.ts',
    handler: 'handler',
    description: 'Re-enqueues stranded tasks',
    env: ['TABLE_NAME', 'WORK_QUEUE_URL', 'LOG_LEVEL', 'RECONCILE_MAX_ITEMS', 'RECONCILE_BACKOFF_SECONDS'],
    grants: [...STORE_GRANTS, { sid: 'WorkQueue', actions: ['sqs:SendMessage'], on: ['work-queue'] }],
    trigger: { type: 'schedule' },
    memoryMb: 256,
    timeoutSeconds: 60,
  },
];

/**
 * The resources terraform/ creates for a set of entries: a fixed part (table, 2 queues + 2 DLQs,
 * secret, HTTP API with its routes, 2 DLQ alarms) plus 5 per function, 1 per SQS trigger, 3
 * per schedule and 2 per function URL (the URL, which adds
 * its InvokeFunctionUrl statement, and the stack with the InvokeFunction statement).
 */
export function expectedResourceCounts(entries: readonly LambdaEntry[]): Record<string, number> {
  const functions = entries.length;
  const sqsTriggers = entries.filter((e) => e.trigger.type === 'sqs').length;
  const schedules = entries.filter((e) => e.trigger.type === 'schedule').length;
  const functionUrls = entries.filter((e) => e.trigger.type === 'function-url').length;
  const counts: Record<string, number> = {
    aws_apigatewayv2_api: 1,
    aws_apigatewayv2_authorizer: 1,
    aws_apigatewayv2_integration: 1,
    aws_apigatewayv2_route: Object.keys(expectedRoutes()).length,
    aws_apigatewayv2_stage: 1,
    aws_cloudwatch_log_group: functions + 1,
    aws_cloudwatch_metric_alarm: functions + 2 + 3,
    aws_cloudwatch_dashboard: 1,
    aws_dynamodb_table: 1,
    aws_iam_role: functions + schedules,
    aws_iam_role_policy: functions + schedules,
    aws_lambda_event_source_mapping: sqsTriggers,
    aws_lambda_function: functions,
    aws_lambda_permission: 2,
    aws_lambda_function_url: functionUrls,
    aws_cloudformation_stack: functionUrls,
    aws_scheduler_schedule: schedules,
    aws_secretsmanager_secret: 1,
    aws_sqs_queue: 4,
  };
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}
