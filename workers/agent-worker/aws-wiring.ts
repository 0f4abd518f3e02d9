/** The agent worker's dependencies in AWS (DynamoDB, SQS, Bedrock), built once per cold start. */
import { randomUUID } from 'node:crypto';
import { dynamoDocumentClient, sqsClient } from '../../adapters/aws/aws-clients';
import { awsTaskStore } from '../../adapters/aws/aws-task-store';
import { DynamoCheckpointer } from '../../adapters/dynamo/dynamo-checkpointer';
import { SqsWorkQueue } from '../../adapters/sqs/sqs-work-queue';
import { systemClock } from '../../core/ports/clock';
import type { Logger } from '../../core/ports/logger';
import type { Metrics } from '../../core/ports/metrics';
import type { WorkQueue } from '../../core/ports/work-queue';
import { bedrockChatModel } from '../agents/currency/bedrock-model';
import { fixtureRates, liveRates } from '../agents/currency/exchange-rates';
import { LocalCurrencyModel } from '../agents/currency/local-currency-model';
import { createAgentRegistry } from '../agents/registry';
import type { WorkerConfig } from '../config';
import type { WorkerDeps } from './run-task';

export function awsWorkerDeps(
  config: Readonly<WorkerConfig>,
  logger: Logger,
  metrics: Metrics,
): { deps: WorkerDeps; queue: WorkQueue } {
  const client = dynamoDocumentClient(config.aws);
  const tasks = awsTaskStore(config.aws, config.pushQueueUrl, metrics, logger);
  const tableName = config.aws.tableName;
  const model =
    config.model.provider === 'bedrock'
      ? bedrockChatModel({ modelId: config.model.modelId, region: config.aws.region })
      : new LocalCurrencyModel({});
  const deps: WorkerDeps = {
    store: tasks.store,
    push: tasks.push,
    checkpointers: DynamoCheckpointer.factory({ client, tableName, ttlSeconds: config.checkpointTtlSeconds }),
    agents: createAgentRegistry({
      resubscribeWaitMs: config.resubscribeWaitMs,
      currency: { model, rates: config.ratesApiUrl ? liveRates(config.ratesApiUrl) : fixtureRates },
    }),
    clock: systemClock,
    logger,
    settings: {
      leaseMs: config.leaseMs,
      heartbeatMs: config.heartbeatMs,
      retentionSeconds: config.retentionSeconds,
      visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
    },
    workerId: `lambda-${randomUUID().slice(0, 8)}`,
  };
  return { deps, queue: new SqsWorkQueue(sqsClient(config.aws), config.workQueueUrl) };
}
