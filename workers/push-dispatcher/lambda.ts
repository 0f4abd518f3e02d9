/** Lambda entry of the push dispatcher (SQS event source on the push queue, ReportBatchItemFailures). */
import { randomUUID } from 'node:crypto';
import { dynamoDocumentClient, sqsClient } from '../../adapters/aws/aws-clients';
import { DynamoTaskStore } from '../../adapters/dynamo/dynamo-task-store';
import { withInvocation } from '../../adapters/logging/invocation-context';
import { createLogger } from '../../adapters/logging/logger';
import { emfMetrics } from '../../adapters/metrics/emf-metrics';
import { withPushMetrics } from '../../adapters/metrics/metered';
import { createPushSigner } from '../../adapters/push/push-signer';
import { signingKeysFromSecret } from '../../adapters/push/secret-signing-keys';
import { createWebhookPushSender } from '../../adapters/push/webhook-push-sender';
import { SqsWorkQueue } from '../../adapters/sqs/sqs-work-queue';
import { systemClock } from '../../core/ports/clock';
import { loadPushDispatcherConfig } from './config';
import { createPushDispatcherHandler } from './handler';

const config = loadPushDispatcherConfig(process.env);

export const handler = withInvocation(
  createPushDispatcherHandler({
    store: new DynamoTaskStore({ client: dynamoDocumentClient(config.aws), tableName: config.aws.tableName }),
    sender: withPushMetrics(
      createWebhookPushSender({
        signer: createPushSigner({
          issuer: config.issuer,
          keys: signingKeysFromSecret(config.aws, config.push.signingSecretId),
        }),
        policy: { allowHttpHosts: config.push.allowHttpHosts },
        timeoutMs: config.timeoutMs,
      }),
      emfMetrics({ service: 'push-dispatcher' }),
    ),
    clock: systemClock,
    logger: createLogger({ service: 'push-dispatcher', level: config.logLevel }),
    settings: { suspendAfter: config.suspendAfter, leaseMs: 5 * 60_000 },
    dispatcherId: `lambda-${randomUUID().slice(0, 8)}`,
    queue: new SqsWorkQueue(sqsClient(config.aws), config.push.pushQueueUrl),
    backoff: config.backoff,
  }),
);
