import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../adapters/config/env-config';
import { loadWorkerConfig } from '../../../workers/config';
import { loadDlqConsumerConfig } from '../../../workers/dlq-consumer/config';
import { loadReconcilerConfig } from '../../../workers/reconciler/config';

const base = {
  TABLE_NAME: 'tasks',
  WORK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/work',
  PUSH_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/push',
};

describe('worker config', () => {
  it('sends work with message groups (SQS fair queues) unless an emulator endpoint is set', () => {
    expect(loadReconcilerConfig(base).aws.sqsMessageGroups).toBe(true);
    const moto = { ...base, SQS_ENDPOINT: 'http://127.0.0.1:5000' };
    expect(loadWorkerConfig(moto).aws.sqsMessageGroups).toBe(false);
    expect(loadWorkerConfig({ ...moto, SQS_MESSAGE_GROUPS: 'true' }).aws.sqsMessageGroups).toBe(true);
    expect(loadWorkerConfig({ ...base, SQS_MESSAGE_GROUPS: 'false' }).aws.sqsMessageGroups).toBe(false);
  });

  it('defaults to the offline model and fixture rates', () => {
    const c = loadWorkerConfig(base);
    expect(c.model).toEqual({ provider: 'local' });
    expect(c.ratesApiUrl).toBeUndefined();
    expect(c.visibilityTimeoutSeconds * 1000).toBeGreaterThanOrEqual(c.leaseMs);
  });

  it('runs Bedrock with a live rates API when configured', () => {
    const c = loadWorkerConfig({
      ...base,
      MODEL_PROVIDER: 'bedrock',
      BEDROCK_MODEL_ID: 'anthropic.claude-3-5-haiku-20241022-v1:0',
      RATES_API_URL: 'https://api.frankfurter.app',
    });
    expect(c.model).toEqual({ provider: 'bedrock', modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0' });
    expect(c.ratesApiUrl).toBe('https://api.frankfurter.app');
  });

  it('reports every problem at once: no queue, Bedrock without a model, a visibility shorter than the lease', () => {
    let error: unknown;
    try {
      loadWorkerConfig({
        TABLE_NAME: 'tasks',
        MODEL_PROVIDER: 'bedrock',
        LEASE_SECONDS: '300',
        WORK_VISIBILITY_TIMEOUT_SECONDS: '60',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(
      expect.arrayContaining([
        'WORK_VISIBILITY_TIMEOUT_SECONDS: must be at least LEASE_SECONDS (a redelivery must find the lease expired)',
        'BEDROCK_MODEL_ID: required',
        'WORK_QUEUE_URL: required',
      ]),
    );
  });

  it('reads the reconciler and DLQ consumer settings', () => {
    expect(loadReconcilerConfig({ ...base, RECONCILE_MAX_ITEMS: '25' })).toMatchObject({
      maxItems: 25,
      backoffMs: 300_000,
    });
    expect(loadDlqConsumerConfig(base)).toMatchObject({ leaseMs: 120_000 });
  });
});
