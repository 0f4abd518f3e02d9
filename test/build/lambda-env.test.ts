/**
 * Each entry in deploy/lambda-entries.ts lists exactly the env variables its code reads, so
 * Terraform (terraform/env.tf) sets everything a function needs and nothing it ignores. Emulator
 * endpoints (local only) and AWS_REGION (set by Lambda) are left out on purpose.
 */
import { describe, expect, it } from 'vitest';
import { LAMBDA_ENTRIES, LAMBDA_PROVIDED_ENV, LOCAL_ONLY_ENV } from '../../deploy/lambda-entries';
import { envReads } from './support/env-reads';

describe('the env contract of each Lambda', () => {
  for (const entry of LAMBDA_ENTRIES) {
    it(`${entry.name}: lists exactly the variables its code reads`, async () => {
      const read = (await envReads(entry)).filter(
        (n) => !LOCAL_ONLY_ENV.includes(n) && !LAMBDA_PROVIDED_ENV.includes(n),
      );
      expect([...entry.env].sort()).toEqual(read);
    }, 90_000);
  }

  it('sees the variables a config module reads only on some branches', async () => {
    const worker = LAMBDA_ENTRIES.find((e) => e.name === 'agent-worker');
    if (!worker) throw new Error('no agent-worker entry');
    // read only when MODEL_PROVIDER=bedrock
    expect(await envReads(worker)).toContain('BEDROCK_MODEL_ID');
  }, 90_000);
});
