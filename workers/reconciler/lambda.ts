/** Lambda entry of the reconciler (EventBridge schedule; the event itself carries nothing it needs). */
import { dynamoDocumentClient, sqsClient } from '../../adapters/aws/aws-clients';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { withInvocation } from '../../adapters/logging/invocation-context';
import { createLogger } from '../../adapters/logging/logger';
import { SqsQueueSender } from '../../adapters/sqs/sqs-queue-sender';
import { systemClock } from '../../core/ports/clock';
import { loadReconcilerConfig } from './config';
import { createReconcilerHandler, type ReconcileReport } from './handler';

const config = loadReconcilerConfig(process.env);

const reconcile = createReconcilerHandler({
  store: new DynamoTaskStore({ client: dynamoDocumentClient(config.aws), tableName: config.aws.tableName }),
  queue: new SqsQueueSender(sqsClient(config.aws), config.workQueueUrl, {
    messageGroups: config.aws.sqsMessageGroups,
  }),
  clock: systemClock,
  logger: createLogger({ service: 'reconciler', level: config.logLevel }),
  settings: { maxItems: config.maxItems, backoffMs: config.backoffMs },
});

export const handler = withInvocation((): Promise<ReconcileReport> => reconcile());
