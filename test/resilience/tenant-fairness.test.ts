import { describe, expect, it } from 'vitest';
import { fairnessFailures } from '../../scripts/resilience/checks';
import { runFairnessScenario } from '../../scripts/resilience/tenant-fairness';

describe("one tenant's flood beside a quiet tenant", () => {
  it("caps the noisy tenant's queued work with clear 429s and serves the quiet tenant before the noisy backlog", async () => {
    const report = await runFairnessScenario({
      flood: 300,
      concurrency: 16,
      cap: 100,
      workers: 2,
      agentDelayMs: 20,
      probes: 3,
      fairGroups: true,
    });
    expect(fairnessFailures(report)).toEqual([]);
    expect(report.flood.accepted).toBeGreaterThanOrEqual(100);
    expect(report.probes.aQueuedAtEach.every((n) => n > 0)).toBe(true);
  }, 90_000);
});
