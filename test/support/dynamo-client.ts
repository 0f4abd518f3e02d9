/** A raw DynamoDB client on the DynamoDB Local that vitest's global setup started. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';

export const localDynamoClient = (): DynamoDBClient =>
  new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
