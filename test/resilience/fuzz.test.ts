import { describe, expect, it } from 'vitest';
import { fuzzFailures } from '../../scripts/resilience/checks';
import { runFuzz } from '../../scripts/resilience/fuzz';

describe('fuzzed JSON-RPC requests in both protocol versions', () => {
  it('get a JSON-RPC answer, never a 5xx or a crash, pollute no prototype and leave the heap where it was', async () => {
    const report = await runFuzz({ runs: 1_000, seed: 20261121 });
    // Generous: this worker also runs other test files' leftovers.
    expect(fuzzFailures(report, 64)).toEqual([]);
    expect(report.runs).toBe(1_000);
    for (const code of ['-32700', '-32600', '-32601', '-32602']) expect(report.outcomes).toHaveProperty(code);
    expect(report.outcomes.result ?? 0).toBeGreaterThan(0);
    expect(report.statuses).toHaveProperty('413');
  }, 90_000);
});
