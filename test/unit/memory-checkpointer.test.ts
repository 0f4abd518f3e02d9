import { MemoryCheckpointData, MemoryCheckpointer } from '../../adapters/memory/memory-checkpointer';
import { checkpointerContract } from '../contract/checkpointer.contract';
import { testClock } from '../support/factories';

checkpointerContract('MemoryCheckpointer', async () => {
  const clock = testClock();
  const data = new MemoryCheckpointData();
  const ttlSeconds = 3600;
  return {
    clock,
    ttlSeconds,
    saver: (tenant) => new MemoryCheckpointer({ data, tenant, ttlSeconds, clock }),
  };
});
