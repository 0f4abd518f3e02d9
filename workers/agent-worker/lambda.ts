/** Lambda entry of the agent worker (SQS event source, ReportBatchItemFailures). */
import { withInvocation } from '../../adapters/logging/invocation-context';
import { createLogger } from '../../adapters/logging/logger';
import { emfMetrics } from '../../adapters/metrics/emf-metrics';
import { loadWorkerConfig } from '../config';
import { awsWorkerDeps } from './aws-wiring';
import { createAgentWorkerHandler } from './handler';

const config = loadWorkerConfig(process.env);
const metrics = emfMetrics({ service: 'agent-worker' });
const { deps, queue } = await awsWorkerDeps(
  config,
  createLogger({ service: 'agent-worker', level: config.logLevel }),
  metrics,
);

export const handler = withInvocation(createAgentWorkerHandler(deps, { queue, metrics }));
