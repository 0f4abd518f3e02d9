import { describe, expect, it } from 'vitest';
import { faultFailures } from '../../scripts/resilience/checks';
import { DEFAULT_FAULTS, runFaultScenario } from '../../scripts/resilience/fault-injection';

describe('tasks under injected faults', () => {
  it('are neither lost, stuck nor run twice, and every push event arrives in order, while workers crash, the store throttles and the webhook fails', async () => {
    const report = await runFaultScenario({
      ...DEFAULT_FAULTS,
      tasks: 100,
      seed: 20261121,
      deadlineMs: 45_000,
    });
    expect(faultFailures(report)).toEqual([]);
    expect(report.audit.completed).toBe(100);
    expect(report.audit.push?.delivered).toBe(report.audit.push?.expected);
  }, 90_000);
});
