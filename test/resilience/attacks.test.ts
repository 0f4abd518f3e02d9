import { describe, expect, it } from 'vitest';
import { largeListFailures, slowBodyFailures } from '../../scripts/resilience/checks';
import { runLargeListScenario } from '../../scripts/resilience/large-lists';
import { runSlowBodyScenario } from '../../scripts/resilience/slow-bodies';

describe('attacks on shared capacity', () => {
  it("keeps serving a quiet tenant while another's slow bodies hold only its share, and cuts them with 408", async () => {
    const report = await runSlowBodyScenario({
      sockets: 40,
      trickleMs: 200,
      durationMs: 3_000,
      settings: { maxInFlight: 32, maxInFlightPerTenant: 8 },
      requestTimeouts: { headersMs: 500, requestMs: 1_500 },
    });
    expect(slowBodyFailures(report)).toEqual([]);
    expect(report.guard.peakTenantInFlight).toBeLessThanOrEqual(8);
  }, 60_000);

  it('keeps ListTasks answers within the byte budget, pages complete, while a quiet tenant is served', async () => {
    const report = await runLargeListScenario({
      tasks: 30,
      artifactBytes: 90_000,
      parallel: 4,
      durationMs: 2_000,
      listPageMaxBytes: 1024 * 1024,
    });
    expect(largeListFailures(report)).toEqual([]);
    expect(report.walk.pages).toBeGreaterThan(1);
  }, 60_000);
});
