/** ListTasks answers bounded by bytes as well as by count, through the JSON-RPC endpoint. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskState } from '../../../core/a2a/task-state';
import { systemContext } from '../../../core/context';
import { newTask, textArtifact } from '../../support/factories';
import { gatewayHarness, type Harness } from '../../support/gateway-harness';

let h: Harness;
beforeAll(async () => {
  h = await gatewayHarness({ listPageMaxBytes: 100_000 });
});
afterAll(() => h.close());

interface ListResult {
  tasks: { id: string; artifacts?: unknown[] }[];
  nextPageToken: string;
}

const list = async (params: Record<string, unknown>): Promise<ListResult> => {
  const res = await h.rpc('ListTasks', params);
  expect(res.statusCode).toBe(200);
  return res.json().result as ListResult;
};

describe('ListTasks page budget', () => {
  it('ends a page at the byte budget with a token that continues after its last task', async () => {
    const ctx = systemContext('acme', 'test');
    const created: string[] = [];
    for (let i = 0; i < 10; i++) {
      const input = newTask({
        tenant: 'acme',
        agentId: 'conformance',
        artifacts: [textArtifact('z'.repeat(30_000))],
        status: { state: TaskState.Submitted, timestamp: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() },
      });
      await h.store.create(ctx, input);
      created.unshift(input.task.id);
    }
    const seen: string[] = [];
    const sizes: number[] = [];
    let pageToken = '';
    do {
      const page = await list({ pageSize: 100, includeArtifacts: true, ...(pageToken ? { pageToken } : {}) });
      sizes.push(page.tasks.length);
      seen.push(...page.tasks.map((t) => t.id));
      pageToken = page.nextPageToken;
    } while (pageToken !== '' && sizes.length < 20);
    expect(sizes).toEqual([3, 3, 3, 1]);
    expect(seen).toEqual(created);
    // Without artifacts the same tasks are small: one page.
    expect((await list({ pageSize: 100 })).tasks).toHaveLength(10);
  });
});
