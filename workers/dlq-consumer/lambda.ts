/** Lambda entry of the work DLQ's consumer (SQS event source on the DLQ, ReportBatchItemFailures). */
import { awsTaskStore } from '../../adapters/aws/aws-task-store';
import { withInvocation } from '../../adapters/logging/invocation-context';
import { createLogger } from '../../adapters/logging/logger';
import { emfMetrics } from '../../adapters/metrics/emf-metrics';
import { systemClock } from '../../core/ports/clock';
import { loadDlqConsumerConfig } from './config';
import { createDlqConsumerHandler } from './handler';

const config = loadDlqConsumerConfig(process.env);
const logger = createLogger({ service: 'dlq-consumer', level: config.logLevel });
const metrics = emfMetrics({ service: 'dlq-consumer' });

export const handler = withInvocation(
  createDlqConsumerHandler({
    store: awsTaskStore(config.aws, config.pushQueueUrl, metrics, logger).store,
    clock: systemClock,
    logger,
    metrics,
    settings: { leaseMs: config.leaseMs, retentionSeconds: config.retentionSeconds },
  }),
);
