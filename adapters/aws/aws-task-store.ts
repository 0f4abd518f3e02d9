/**
 * The task store every AWS runtime that writes tasks uses: DynamoDB, wrapped so that each
 * commit of a task with push configs triggers the push queue, and tasks created/finished are
 * counted as metrics. One place, so no writer can forget either.
 */

import type { Logger } from '../../core/ports/logger';
import type { Metrics } from '../../core/ports/metrics';
import type { PushTrigger } from '../../core/ports/push-trigger';
import type { TaskStore } from '../../core/ports/task-store';
import { DynamoTaskStore } from '../dynamo/dynamo-task-store';
import { withTaskMetrics } from '../metrics/metered';
import { queuePushTrigger, withPushTrigger } from '../push/push-trigger';
import { SqsQueueSender } from '../sqs/sqs-queue-sender';
import { dynamoDocumentClient, sqsClient } from './aws-clients';
import type { AwsConfig } from './aws-config';

export interface AwsTaskStore {
  store: TaskStore;
  push: PushTrigger;
  /** the unwrapped store, for readers that never commit */
  base: DynamoTaskStore;
}

export function awsTaskStore(
  aws: AwsConfig,
  pushQueueUrl: string,
  metrics: Metrics,
  logger: Logger,
): AwsTaskStore {
  const base = new DynamoTaskStore({
    client: dynamoDocumentClient(aws),
    tableName: aws.tableName,
    logger: logger.child({ component: 'task-store' }),
  });
  const push = queuePushTrigger(new SqsQueueSender(sqsClient(aws), pushQueueUrl));
  return { store: withTaskMetrics(withPushTrigger(base, push, logger), metrics), push, base };
}
