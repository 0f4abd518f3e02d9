/** The AWS part of the env contract, shared by every Lambda (names match terraform/). */
import type { EnvReader } from '../config/env-config';

export interface AwsConfig {
  region: string;
  tableName: string;
  /** set only for emulators (DynamoDB Local, moto) */
  dynamodbEndpoint?: string;
  sqsEndpoint?: string;
  secretsManagerEndpoint?: string;
}

export function readAwsConfig(env: EnvReader): AwsConfig {
  const config: AwsConfig = {
    region: env.string('AWS_REGION', 'us-east-1'),
    tableName: env.string('TABLE_NAME'),
  };
  const dynamo = env.url('DYNAMODB_ENDPOINT', { required: false });
  const sqs = env.url('SQS_ENDPOINT', { required: false });
  const secrets = env.url('SECRETSMANAGER_ENDPOINT', { required: false });
  if (dynamo) config.dynamodbEndpoint = dynamo;
  if (sqs) config.sqsEndpoint = sqs;
  if (secrets) config.secretsManagerEndpoint = secrets;
  return config;
}
