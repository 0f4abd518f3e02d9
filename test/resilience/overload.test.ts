import { describe, expect, it } from 'vitest';
import { overloadFailures } from '../../scripts/resilience/checks';
import { runOverloadScenario } from '../../scripts/resilience/overload';

describe('a flood of concurrent requests', () => {
  it('is held to the in-flight bounds with clear 503/429 refusals, and every accepted task completes', async () => {
    const settings = {
      maxInFlight: 16,
      maxInFlightPerTenant: 12,
      maxEventLoopDelayMs: 150,
      sampleIntervalMs: 100,
    };
    const report = await runOverloadScenario({ requests: 200, concurrency: 100, settings });
    expect(overloadFailures(report)).toEqual([]);
    expect(report.guard.peakInFlight).toBeLessThanOrEqual(16);
    expect(report.accepted).toBeGreaterThan(0);
    expect(report.acceptedCompleted).toBe(report.accepted);
  }, 90_000);
});
