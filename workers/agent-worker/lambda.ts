/** Lambda entry of the agent worker (SQS event source, ReportBatchItemFailures). */
import { randomUUID } from 'node:crypto';
import { dynamoDocumentClient } from '../../adapters/aws/aws-clients';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { createLogger } from '../../adapters/logging/logger';
import { systemClock } from '../../core/ports/clock';
import { createAgentRegistry } from '../agents/registry';
import { loadWorkerConfig } from '../config';
import { createAgentWorkerHandler } from './handler';

const config = loadWorkerConfig(process.env);

export const handler = createAgentWorkerHandler({
  store: new DynamoTaskStore({ client: dynamoDocumentClient(config.aws), tableName: config.aws.tableName }),
  agents: createAgentRegistry({ resubscribeWaitMs: config.resubscribeWaitMs }),
  clock: systemClock,
  logger: createLogger({ service: 'agent-worker', level: config.logLevel }),
  settings: {
    leaseMs: config.leaseMs,
    heartbeatMs: config.heartbeatMs,
    retentionSeconds: config.retentionSeconds,
  },
  workerId: `lambda-${randomUUID().slice(0, 8)}`,
});
