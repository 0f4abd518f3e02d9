/** Lambda entry of the work DLQ's consumer (SQS event source on the DLQ, ReportBatchItemFailures). */
import { dynamoDocumentClient } from '../../adapters/aws/aws-clients';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { createLogger } from '../../adapters/logging/logger';
import { systemClock } from '../../core/ports/clock';
import { loadDlqConsumerConfig } from './config';
import { createDlqConsumerHandler } from './handler';

const config = loadDlqConsumerConfig(process.env);

export const handler = createDlqConsumerHandler({
  store: new DynamoTaskStore({ client: dynamoDocumentClient(config.aws), tableName: config.aws.tableName }),
  clock: systemClock,
  logger: createLogger({ service: 'dlq-consumer', level: config.logLevel }),
  settings: { leaseMs: config.leaseMs, retentionSeconds: config.retentionSeconds },
});
