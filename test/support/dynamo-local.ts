/** DynamoDB Local for tests: the same child process the local stack uses (adapters/dynamo). */
import { startDynamoLocalProcess } from '../../adapters/dynamo/dynamo-local-process';

export interface DynamoLocalHandle {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startDynamoLocal(
  opts: { inMemory?: boolean; dbPath?: string; port?: number } = {},
): Promise<DynamoLocalHandle> {
  const local = await startDynamoLocalProcess(opts);
  return { endpoint: local.endpoint, stop: local.stop };
}
