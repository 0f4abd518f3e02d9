/**
 * The one list of Lambda functions. `npm run build` bundles each entry into `dist/<name>.zip`
 * and writes `dist/manifest.json` from this list; Terraform reads that manifest and creates one
 * function (role, log group, alarms, trigger) per entry. Adding a function is one entry here.
 *
 * - `env`: the variables the function's config module reads, set by Terraform from the one env
 *   map in terraform/env.tf (test/build/lambda-env.test.ts checks them against the code).
 * - `grants`: the AWS actions its code calls, on which resources (test/terraform checks them
 *   against the SDK commands in the bundle and against the deployed IAM policy).
 * - `trigger`: how it is invoked; Terraform wires the route, event source mapping or schedule.
 */

/** Resources a grant can name; terraform/iam.tf maps each to exact ARNs. */
export const GRANT_TARGETS = [
  'table',
  'table-indexes',
  'work-queue',
  'push-queue',
  'work-dlq',
  'push-dlq',
  'signing-key-secret',
  'remote-agent-secrets',
  'bedrock-model',
] as const;
export type GrantTarget = (typeof GRANT_TARGETS)[number];

export const QUEUES = ['work-queue', 'push-queue', 'work-dlq', 'push-dlq'] as const;
export type QueueName = (typeof QUEUES)[number];

export interface Grant {
  /** IAM statement id: PascalCase letters and digits */
  sid: string;
  /** `service:Action`, never a wildcard */
  actions: readonly string[];
  on: readonly GrantTarget[];
}

export type Trigger =
  /** the HTTP API's integration: every route lands here */
  | { type: 'http-api' }
  /** the HTTP API's REQUEST authorizer */
  | { type: 'http-authorizer' }
  /**
   * a public Lambda function URL with response streaming (SSE); function URLs have no
   * authorizer, so the function verifies the bearer JWT itself. Its URL becomes STREAMING_URL.
   */
  | { type: 'function-url' }
  /** an SQS event source mapping (ReportBatchItemFailures) */
  | { type: 'sqs'; queue: QueueName; batchSize: number }
  /** the reconciler schedule (rate from the Terraform variable) */
  | { type: 'schedule' };

export interface LambdaEntry {
  /** kebab-case; `dist/<name>.zip` and the suffix of the function name */
  name: string;
  /** TypeScript entry module, relative to the repository root */
  entry: string;
  /** the exported handler function; Lambda's handler is `index.<handler>` */
  handler: string;
  description: string;
  env: readonly string[];
  grants: readonly Grant[];
  trigger: Trigger;
  /** defaults; Terraform's function_memory_mb / function_timeout_seconds override them */
  memoryMb: number;
  timeoutSeconds: number;
  /**
   * esbuild's keepNames, for a bundle in which a library reads class names at run time
   * (LangChain's serializable classes take their lc_name from the class name). Elsewhere names
   * are left to the minifier: keeping them made the gateway's import about a fifth slower
   * (README decision 87), and every error class of ours sets its `name` itself.
   */
  keepNames?: true;
}

/**
 * Read by the config modules but never set in Lambda: emulator endpoints for local runs and tests,
 * and SQS_MESSAGE_GROUPS (message groups are on in AWS; off by default with an emulator endpoint).
 */
export const LOCAL_ONLY_ENV: readonly string[] = [
  'DYNAMODB_ENDPOINT',
  'SQS_ENDPOINT',
  'SECRETSMANAGER_ENDPOINT',
  'SQS_MESSAGE_GROUPS',
];
/** Set by the Lambda runtime itself (reserved: Terraform must not set them). */
export const LAMBDA_PROVIDED_ENV: readonly string[] = ['AWS_REGION'];

/** The task store (DynamoTaskStore): items, transactions and the list/reconcile indexes. */
const TASK_STORE: readonly Grant[] = [
  // TransactWriteItems has no IAM action of its own: AWS authorizes each Put/Update/Delete/
  // ConditionCheck item in it as dynamodb:PutItem / UpdateItem / DeleteItem / ConditionCheckItem.
  {
    sid: 'TaskItems',
    actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    on: ['table'],
  },
  // ListTasks reads the page's records from the table (the list indexes hold only their filters)
  { sid: 'TaskPages', actions: ['dynamodb:BatchGetItem'], on: ['table'] },
  { sid: 'TaskQueries', actions: ['dynamodb:Query'], on: ['table', 'table-indexes'] },
];

/** SqsWorkQueue: the sender plus the consumer calls (receive, delete, change visibility). */
const QUEUE_CLIENT = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:ReceiveMessage',
  'sqs:SendMessage',
];
/** SqsQueueSender: functions that only enqueue. */
const QUEUE_SENDER = ['sqs:SendMessage'];

/** What the gateway's config (gateway/config.ts) reads: the HTTP API and the streaming function alike. */
const GATEWAY_ENV: readonly string[] = [
  'TABLE_NAME',
  'WORK_QUEUE_URL',
  'PUSH_QUEUE_URL',
  'PUSH_SIGNING_SECRET_ID',
  'PUBLIC_BASE_URL',
  'LOG_LEVEL',
  'AUTH_MODE',
  'AUTH_REVERIFY',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'AUTH_JWKS_URL',
  'AUTH_TENANT_CLAIM',
  'AUTH_ALGORITHMS',
  'AUTH_CLOCK_TOLERANCE_SECONDS',
  'AUTH_MAX_TOKEN_LIFETIME_SECONDS',
  'OAUTH_TOKEN_URL',
  'BLOCKING_TIMEOUT_MS',
  'CANCEL_WAIT_MS',
  'TENANT_MAX_QUEUED_TASKS',
  'RETENTION_DAYS',
  'BODY_LIMIT_BYTES',
  'LIST_PAGE_MAX_BYTES',
  'DEFAULT_AGENT_ID',
  'WEBHOOK_ALLOW_HTTP_HOSTS',
  'PUSH_CONFIGS_PER_TASK_MAX',
  'STREAMING_URL',
  'STREAM_HEARTBEAT_MS',
  'STREAM_MAX_PER_PROCESS',
  'STREAM_MAX_PER_TENANT',
  'STREAM_MAX_DURATION_MS',
  'STREAM_DIRECT_REPLY_WAIT_MS',
  'REMOTE_AGENTS',
  'REMOTE_AGENTS_ALLOW_HTTP_HOSTS',
];

/** The gateway's AWS calls: the task store, enqueueing work and push triggers, the signing keys. */
const GATEWAY_GRANTS: readonly Grant[] = [
  ...TASK_STORE,
  { sid: 'Queues', actions: QUEUE_SENDER, on: ['work-queue', 'push-queue'] },
  { sid: 'SigningKeys', actions: ['secretsmanager:GetSecretValue'], on: ['signing-key-secret'] },
];

export const LAMBDA_ENTRIES: readonly LambdaEntry[] = [
  {
    name: 'gateway',
    entry: 'gateway/lambda/lambda.ts',
    handler: 'handler',
    description: 'A2A JSON-RPC endpoint, agent cards, push-signing JWKS and health (fastify)',
    env: GATEWAY_ENV,
    grants: GATEWAY_GRANTS,
    trigger: { type: 'http-api' },
    // Measured (npm run bench, section 4: the bundled handler under a burst of SendMessage,
    // GetTask and ListTasks pages of 100 × 90 KB tasks, one invocation at a time): peak RSS
    // ~210 MB, so 512 MB leaves over 2× headroom. A blocking SendMessage holds this function while
    // it waits and is billed by the GB-second: 512 MB halves that ($8.33 instead of $16.67 per
    // second waited per million calls). Lambda's CPU is proportional to memory (1 vCPU at 1,769
    // MB): at 512 MB the CPU-bound part of a request takes about 3.5× as long as on a full core
    // (measured on a full core of the bench machine: ~19 ms per SendMessage, mostly the AWS SDK's
    // ~2.5 ms per request over its 7 requests, ~2.7 ms per GetTask, ~140 ms per 4 MB ListTasks
    // page), twice as long as at 1024 MB; the waits on DynamoDB and SQS do not change. Raise it
    // with Terraform's function_memory_mb if latency matters more than cost.
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  {
    name: 'authorizer',
    entry: 'authorizer/handler.ts',
    handler: 'handler',
    description: 'HTTP API REQUEST authorizer: verifies the bearer JWT against the issuer JWKS',
    env: [
      'AUTH_ISSUER',
      'AUTH_AUDIENCE',
      'AUTH_JWKS_URL',
      'AUTH_TENANT_CLAIM',
      'AUTH_ALGORITHMS',
      'AUTH_CLOCK_TOLERANCE_SECONDS',
      'AUTH_JWKS_TIMEOUT_MS',
      'AUTH_MAX_TOKEN_LIFETIME_SECONDS',
      'LOG_LEVEL',
    ],
    grants: [],
    trigger: { type: 'http-authorizer' },
    memoryMb: 512,
    timeoutSeconds: 10,
  },
  {
    name: 'gateway-stream',
    entry: 'gateway/lambda/stream-lambda.ts',
    handler: 'handler',
    description: 'A2A JSON-RPC endpoint with SSE streaming, behind a function URL (verifies the JWT itself)',
    env: GATEWAY_ENV,
    grants: GATEWAY_GRANTS,
    trigger: { type: 'function-url' },
    memoryMb: 1024,
    // streams end after STREAM_MAX_DURATION_MS (default 14 min), before this
    timeoutSeconds: 900,
  },
  {
    name: 'agent-worker',
    entry: 'workers/agent-worker/lambda.ts',
    handler: 'handler',
    description:
      'Runs work-queue tasks (LangGraph agents, the router, remote A2A forwarding) into the task log',
    env: [
      'TABLE_NAME',
      'WORK_QUEUE_URL',
      'PUSH_QUEUE_URL',
      'WORK_VISIBILITY_TIMEOUT_SECONDS',
      'LOG_LEVEL',
      'LEASE_SECONDS',
      'HEARTBEAT_MS',
      'RETENTION_DAYS',
      'RESUBSCRIBE_WAIT_MS',
      'CHECKPOINT_TTL_DAYS',
      'MODEL_PROVIDER',
      'BEDROCK_MODEL_ID',
      'RATES_API_URL',
      'REMOTE_AGENTS',
      'REMOTE_AGENTS_ALLOW_HTTP_HOSTS',
      'REMOTE_AGENT_TIMEOUT_MS',
      'ROUTER_SUBTASK_TIMEOUT_MS',
    ],
    grants: [
      ...TASK_STORE,
      // the LangGraph checkpointer writes a checkpoint's items in one batch
      { sid: 'Checkpoints', actions: ['dynamodb:BatchWriteItem'], on: ['table'] },
      { sid: 'WorkQueue', actions: QUEUE_CLIENT, on: ['work-queue', 'push-queue'] },
      // ChatBedrockConverse (@langchain/aws): Converse and ConverseStream
      {
        sid: 'Model',
        actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        on: ['bedrock-model'],
      },
      // bearer tokens and OAuth client secrets of remote agents (REMOTE_AGENTS names them);
      // the statement is left out when no remote agent has a secret
      { sid: 'RemoteAgentSecrets', actions: ['secretsmanager:GetSecretValue'], on: ['remote-agent-secrets'] },
    ],
    trigger: { type: 'sqs', queue: 'work-queue', batchSize: 1 },
    memoryMb: 1024,
    timeoutSeconds: 300,
    // LangChain and LangGraph: checkpoints name the classes of what they hold
    keepNames: true,
  },
  {
    name: 'push-dispatcher',
    entry: 'workers/push-dispatcher/lambda.ts',
    handler: 'handler',
    description: 'Delivers signed push notifications from task event logs (push-queue triggers)',
    env: [
      'TABLE_NAME',
      'PUSH_QUEUE_URL',
      'PUSH_SIGNING_SECRET_ID',
      'PUSH_ISSUER',
      'WEBHOOK_ALLOW_HTTP_HOSTS',
      'LOG_LEVEL',
      'PUSH_TIMEOUT_MS',
      'PUSH_SUSPEND_AFTER',
      'PUSH_BACKOFF_BASE_SECONDS',
      'PUSH_BACKOFF_MAX_SECONDS',
    ],
    grants: [
      ...TASK_STORE,
      { sid: 'PushQueue', actions: QUEUE_CLIENT, on: ['push-queue'] },
      { sid: 'SigningKeys', actions: ['secretsmanager:GetSecretValue'], on: ['signing-key-secret'] },
    ],
    trigger: { type: 'sqs', queue: 'push-queue', batchSize: 10 },
    memoryMb: 512,
    timeoutSeconds: 120,
  },
  {
    name: 'dlq-consumer',
    entry: 'workers/dlq-consumer/lambda.ts',
    handler: 'handler',
    description: 'Ends tasks whose work landed in the work DLQ as FAILED (no task stays WORKING forever)',
    env: ['TABLE_NAME', 'PUSH_QUEUE_URL', 'LOG_LEVEL', 'LEASE_SECONDS', 'RETENTION_DAYS'],
    grants: [...TASK_STORE, { sid: 'PushQueue', actions: QUEUE_SENDER, on: ['push-queue'] }],
    trigger: { type: 'sqs', queue: 'work-dlq', batchSize: 10 },
    memoryMb: 512,
    timeoutSeconds: 60,
  },
  {
    name: 'reconciler',
    entry: 'workers/reconciler/lambda.ts',
    handler: 'handler',
    description: 'Re-enqueues tasks stranded in SUBMITTED or with an expired lease (scheduled)',
    env: ['TABLE_NAME', 'WORK_QUEUE_URL', 'LOG_LEVEL', 'RECONCILE_MAX_ITEMS', 'RECONCILE_BACKOFF_SECONDS'],
    grants: [...TASK_STORE, { sid: 'WorkQueue', actions: QUEUE_SENDER, on: ['work-queue'] }],
    trigger: { type: 'schedule' },
    memoryMb: 512,
    timeoutSeconds: 120,
  },
];
