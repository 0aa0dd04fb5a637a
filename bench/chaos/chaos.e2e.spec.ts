import { runChaos, type ChaosResult } from './chaos';
import { renderReport, verdicts } from './report';
import { HEARTBEAT_TIMEOUT_MS } from './workload';

// The short version of bench/chaos (issue 16): about 100 runs of the mixed workload through two of each
// service on a PRIVATE Kafka and PostgreSQL (restarting them never touches the shared stack), a few
// kill -9 at random moments, one broker restart and an executor pause longer than its heartbeat timeout.
// Every end check of the issue must hold.
describe('chaos: two of each service, random kill -9, a broker restart', () => {
  let result: ChaosResult;

  beforeAll(async () => {
    result = await runChaos({
      label: 'e2e',
      runs: 100,
      startsPerSecond: 4,
      calmShare: 0.1,
      faults: {
        killEveryMs: [3000, 5000],
        restartAfterMs: [500, 2000],
        executorPauseAt: 0.1,
        kafkaRestartAt: 0.45,
        pauseMs: HEARTBEAT_TIMEOUT_MS + 3000,
      },
      finishTimeoutMs: 120_000,
    });
  }, 600_000);

  it('injected the faults it was asked for', () => {
    expect(result.faultsByKind.kill).toBeGreaterThanOrEqual(3);
    expect(result.faultsByKind['kafka-restart']).toBe(1);
    expect(result.faultsByKind['executor-pause']).toBe(1);
  });

  it('every end check holds: all runs final with their outcome, no duplicate or lost effect, nothing stuck', () => {
    const failed = Object.entries(verdicts(result))
      .filter(([, ok]) => !ok)
      .map(([name]) => name);
    if (failed.length) process.stderr.write(renderReport(result, []));
    expect(failed).toEqual([]);
    expect(result.runsAccepted).toBe(100);
    expect(result.outcomes.final).toBe(100);
  });
});
