/** The cost model's inputs that come from the code: deployed memory sizes and index shard counts. */
import { describe, expect, it } from 'vitest';
import { SHARDS } from '../../adapters/dynamo/keys';
import { LAMBDA_ENTRIES } from '../../deploy/lambda-entries';
import { blockingCostRows } from '../../scripts/bench/blocking-cost';
import { assumedLambdas } from '../../scripts/bench/cost-model';
import { INDEX_WRU_PER_TASK, partitionRow, tasksPerSecond } from '../../scripts/bench/partition-limits';

describe('the cost model', () => {
  it('prices each function at the memory it is deployed with, the gateway at the measured 512 MB', () => {
    for (const use of assumedLambdas(3)) {
      expect(use.memoryMb).toBe(LAMBDA_ENTRIES.find((e) => e.name === use.name)?.memoryMb);
    }
    expect(assumedLambdas(3).find((l) => l.name === 'gateway')?.memoryMb).toBe(512);
  });

  it('prices a second of a blocking wait at the deployed gateway size', () => {
    const [perSecond] = blockingCostRows('2', 512, 1);
    // 0.5 GB-s at $16.67 per million GB-s, plus 2 polls of 1 RRU at $0.25 per million
    expect(perSecond?.value).toBeCloseTo(8.33 + 0.5, 2);
  });

  it('puts the write ceiling of one (tenant, agent) at 1,000 tasks/s or more', () => {
    expect(tasksPerSecond(SHARDS.agentList, INDEX_WRU_PER_TASK.gsi1)).toBeGreaterThanOrEqual(1000);
    expect(tasksPerSecond(SHARDS.queued, INDEX_WRU_PER_TASK.gsi5)).toBeGreaterThanOrEqual(1000);
    expect(partitionRow('2').value).toBe(2000);
  });
});
