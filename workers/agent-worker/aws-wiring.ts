/**
 * The agent worker's dependencies in AWS (DynamoDB, SQS, Bedrock, remote A2A agents), built once
 * per cold start. The remote agents' cards are fetched first: the router routes by their skills.
 * Every configured remote agent gets a runner, even one whose card did not load here (the card is
 * resolved again when a task arrives), so a task the gateway accepted is never "not deployed".
 */
import { randomUUID } from 'node:crypto';
import { awsRemoteAgents } from '../../adapters/a2a-remote/aws-remote-agents';
import { dynamoDocumentClient, sqsClient } from '../../adapters/aws/aws-clients';
import { awsTaskStore } from '../../adapters/aws/aws-task-store';
import { DynamoCheckpointer } from '../../adapters/dynamo/dynamo-checkpointer';
import { pollingTaskWatcher } from '../../adapters/polling/polling-task-watcher';
import { SqsWorkQueue } from '../../adapters/sqs/sqs-work-queue';
import { BUILT_IN_AGENTS, servedAgents } from '../../core/agent-catalog';
import { systemClock } from '../../core/ports/clock';
import type { Logger } from '../../core/ports/logger';
import type { Metrics } from '../../core/ports/metrics';
import type { WorkQueue } from '../../core/ports/work-queue';
import { remoteWorkerDescriptors } from '../../core/remote-card';
import { bedrockChatModel } from '../agents/currency/bedrock-model';
import { fixtureRates, liveRates } from '../agents/currency/exchange-rates';
import { LocalCurrencyModel } from '../agents/currency/local-currency-model';
import { createAgentRegistry } from '../agents/registry';
import type { WorkerConfig } from '../config';
import type { WorkerDeps } from './worker-deps';

export async function awsWorkerDeps(
  config: Readonly<WorkerConfig>,
  logger: Logger,
  metrics: Metrics,
): Promise<{ deps: WorkerDeps; queue: WorkQueue }> {
  const client = dynamoDocumentClient(config.aws);
  const tasks = awsTaskStore(config.aws, config.pushQueueUrl, metrics, logger);
  const queue = new SqsWorkQueue(sqsClient(config.aws), config.workQueueUrl, {
    messageGroups: config.aws.sqsMessageGroups,
  });
  const tableName = config.aws.tableName;
  // Bedrock serves the currency agent and the router; offline each has its deterministic model.
  const bedrock =
    config.model.provider === 'bedrock'
      ? bedrockChatModel({ modelId: config.model.modelId, region: config.aws.region })
      : undefined;
  const remote = awsRemoteAgents(config.aws, config.remote, logger);
  const reserved = BUILT_IN_AGENTS.map((a) => a.id);
  const loaded = await remote.load(reserved);
  const catalog = servedAgents(remoteWorkerDescriptors(config.remote.agents, loaded, reserved));
  const deps: WorkerDeps = {
    store: tasks.store,
    push: tasks.push,
    checkpointers: DynamoCheckpointer.factory({ client, tableName, ttlSeconds: config.checkpointTtlSeconds }),
    agents: createAgentRegistry(
      {
        resubscribeWaitMs: config.resubscribeWaitMs,
        currency: {
          model: bedrock ?? new LocalCurrencyModel({}),
          rates: config.ratesApiUrl ? liveRates(config.ratesApiUrl) : fixtureRates,
        },
        remote: { directory: remote.directory(loaded) },
        router: {
          queue,
          watcher: pollingTaskWatcher(tasks.store),
          subtaskTimeoutMs: config.routerSubtaskTimeoutMs,
          ...(bedrock ? { model: bedrock } : {}),
        },
      },
      catalog,
    ),
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
  return { deps, queue };
}
