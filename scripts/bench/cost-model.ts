/**
 * AWS cost per million tasks from the measured counts. On-demand prices (us-east-1, as given in
 * the benchmark issue): DynamoDB $1.25 per million write request units and $0.25 per million read
 * request units; SQS $0.40 per million requests (standard queue, 64 KB chunks); Lambda $0.20 per
 * million requests plus $0.0000166667 per GB-second (x86). Durations are assumptions, stated in
 * the notes: nothing here runs on AWS. Memory sizes are the deployed ones (deploy/lambda-entries.ts).
 */
import { LAMBDA_ENTRIES } from '../../deploy/lambda-entries';

export const PRICES = {
  wruPerMillion: 1.25,
  rruPerMillion: 0.25,
  sqsPerMillion: 0.4,
  lambdaRequestsPerMillion: 0.2,
  lambdaGbSecond: 0.0000166667,
  httpApiPerMillion: 1.0,
} as const;

export interface LambdaUse {
  name: string;
  invocationsPerTask: number;
  memoryMb: number;
  /** assumed billed duration of one warm invocation */
  durationMs: number;
}

export interface TaskCounts {
  wru: number;
  rru: number;
  sqsRequests: number;
  lambdas: LambdaUse[];
}

export interface CostBreakdown {
  dynamodb: number;
  sqs: number;
  lambdaRequests: number;
  lambdaCompute: number;
  total: number;
  /** API Gateway HTTP API, one request per task (not part of the total the targets talk about) */
  httpApi: number;
}

/** Dollars per million tasks. */
export function costPerMillionTasks(c: TaskCounts): CostBreakdown {
  const dynamodb = c.wru * PRICES.wruPerMillion + c.rru * PRICES.rruPerMillion;
  const sqs = c.sqsRequests * PRICES.sqsPerMillion;
  const invocations = c.lambdas.reduce((n, l) => n + l.invocationsPerTask, 0);
  const lambdaRequests = invocations * PRICES.lambdaRequestsPerMillion;
  const gbSeconds = c.lambdas.reduce(
    (s, l) => s + l.invocationsPerTask * (l.memoryMb / 1024) * (l.durationMs / 1000),
    0,
  );
  const lambdaCompute = gbSeconds * 1_000_000 * PRICES.lambdaGbSecond;
  return {
    dynamodb,
    sqs,
    lambdaRequests,
    lambdaCompute,
    total: dynamodb + sqs + lambdaRequests + lambdaCompute,
    httpApi: PRICES.httpApiPerMillion,
  };
}

/** The memory a function is deployed with: deploy/lambda-entries.ts, as Terraform takes it. */
export function deployedMemoryMb(name: string): number {
  const entry = LAMBDA_ENTRIES.find((e) => e.name === name);
  if (!entry) throw new Error(`no Lambda entry named ${name} in deploy/lambda-entries.ts`);
  return entry.memoryMb;
}

/**
 * Lambda invocations and durations assumed per task, at the deployed memory sizes. Warm
 * invocations; the echo agent; one authorizer call per SendMessage (no authorizer result
 * caching); one dispatcher invocation per push trigger (no batching).
 */
export function assumedLambdas(pushTriggers: number): LambdaUse[] {
  const use = (name: string, invocationsPerTask: number, durationMs: number): LambdaUse => ({
    name,
    invocationsPerTask,
    memoryMb: deployedMemoryMb(name),
    durationMs,
  });
  return [
    use('authorizer', 1, 5),
    use('gateway', 1, 30),
    use('agent-worker', 1, 60),
    use('push-dispatcher', pushTriggers, 40),
  ];
}

/**
 * SQS requests per task: the work message (send, the event source's receive, its delete) and
 * each push trigger (send, receive, delete). Empty long polls of the event source mappings are a
 * fixed cost per queue, not per task, and are left out.
 */
export const sqsRequestsPerTask = (pushTriggers: number): number => 3 + 3 * pushTriggers;
