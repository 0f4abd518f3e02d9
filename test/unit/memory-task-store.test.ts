import { MemoryTaskStore } from '../../adapters/memory/memory-task-store';
import { taskStoreContract } from '../contract/task-store.contract';
import { testClock } from '../support/factories';

taskStoreContract('MemoryTaskStore', async () => {
  const clock = testClock();
  return { store: new MemoryTaskStore(clock), clock };
});
