/**
 * Every AWS SDK client we make gets SDK_LOGGER: the SDK recognises its own no-op logger by class
 * name, which the minified Lambda bundles rename (README decision 87), and would then drop the
 * warnings it meant for the console.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dynamoDocumentClient, sqsClient } from '../../adapters/aws/aws-clients';
import { SDK_LOGGER } from '../../adapters/aws/sdk-logger';

const AWS = { region: 'us-east-1', tableName: 't', sqsMessageGroups: true };
const SOURCE_DIRS = ['adapters', 'gateway', 'workers', 'authorizer', 'core', 'local'];

afterEach(() => vi.restoreAllMocks());

describe('the AWS SDK clients’ logger', () => {
  it('is ours on the DynamoDB and SQS clients, and passes warnings to the console', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const client of [dynamoDocumentClient(AWS), sqsClient(AWS)]) {
      expect(client.config.logger).toBe(SDK_LOGGER);
      client.config.logger.warn('sockets at capacity');
    }
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it("prints nothing of the SDK's per-call lines: a refused conditional write carries its items", () => {
    const printed = (['log', 'info', 'debug', 'error', 'warn'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => undefined),
    );
    const call = {
      clientName: 'DynamoDBClient',
      commandName: 'PutItemCommand',
      input: { Item: { token: 's3cret' } },
    };
    SDK_LOGGER.info(call);
    SDK_LOGGER.debug(call);
    SDK_LOGGER.error({ ...call, error: new Error('ConditionalCheckFailedException') });
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();
  });

  it('is given wherever the code makes an SDK client', async () => {
    const missing: string[] = [];
    const files = (
      await Promise.all(
        SOURCE_DIRS.map(async (dir) =>
          (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f)),
        ),
      )
    ).flat();
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const source = await readFile(file, 'utf8');
      for (const made of source.matchAll(/new \w+Client\(\{[\s\S]*?\n\s*\}\)/g))
        if (!made[0].includes('logger: SDK_LOGGER')) missing.push(`${file}: ${made[0].split('\n')[0]}`);
    }
    expect(missing).toEqual([]);
  });
});
