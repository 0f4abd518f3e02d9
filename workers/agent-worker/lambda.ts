/** Lambda entry of the agent worker (SQS event source, ReportBatchItemFailures). */
import { createLogger } from '../../adapters/logging/logger';
import { loadWorkerConfig } from '../config';
import { awsWorkerDeps } from './aws-wiring';
import { createAgentWorkerHandler } from './handler';

const config = loadWorkerConfig(process.env);
const { deps, queue } = awsWorkerDeps(
  config,
  createLogger({ service: 'agent-worker', level: config.logLevel }),
);

export const handler = createAgentWorkerHandler(deps, { queue });
