/** AWS SDK clients, created once per cold start. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsConfig } from './aws-config';
import { SDK_LOGGER } from './sdk-logger';

export function dynamoDocumentClient(config: AwsConfig): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: config.region,
    logger: SDK_LOGGER,
    ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function sqsClient(config: AwsConfig): SQSClient {
  return new SQSClient({
    region: config.region,
    logger: SDK_LOGGER,
    ...(config.sqsEndpoint ? { endpoint: config.sqsEndpoint } : {}),
  });
}
