/** The AWS part of the env contract, shared by every Lambda (names match terraform/). */
import type { EnvReader } from '../config/env-config';

export interface AwsConfig {
  region: string;
  tableName: string;
  /** set only for emulators (DynamoDB Local, moto) */
  dynamodbEndpoint?: string;
  sqsEndpoint?: string;
  secretsManagerEndpoint?: string;
  /**
   * Work messages carry a MessageGroupId (the hashed tenant) so that SQS fair queues keep one
   * tenant's backlog from delaying another's work. SQS_MESSAGE_GROUPS; on by default, off by
   * default with an SQS_ENDPOINT, because moto 5.1.1 refuses MessageGroupId on a standard queue.
   */
  sqsMessageGroups: boolean;
}

export function readAwsConfig(env: EnvReader): AwsConfig {
  const config: AwsConfig = {
    region: env.string('AWS_REGION', 'us-east-1'),
    tableName: env.string('TABLE_NAME'),
    sqsMessageGroups: false,
  };
  const dynamo = env.url('DYNAMODB_ENDPOINT', { required: false });
  const sqs = env.url('SQS_ENDPOINT', { required: false });
  const secrets = env.url('SECRETSMANAGER_ENDPOINT', { required: false });
  if (dynamo) config.dynamodbEndpoint = dynamo;
  if (sqs) config.sqsEndpoint = sqs;
  config.sqsMessageGroups = env.bool('SQS_MESSAGE_GROUPS', sqs === undefined);
  if (secrets) config.secretsManagerEndpoint = secrets;
  return config;
}
