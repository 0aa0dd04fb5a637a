import { readinessFromAnswer, summarize } from './checks';

// The answers are shaped as service-kit's /health/ready sends them (200 ready, 503 with the checks).
const ready = (...names: string[]) =>
  readinessFromAnswer(200, {
    status: 'ready',
    checks: Object.fromEntries(names.map((name) => [name, { status: 'up' }])),
  });

describe('doctor', () => {
  it('names a dependency that a service reports down, with what to do', () => {
    const kafkaDown = readinessFromAnswer(503, {
      service: 'scheduler',
      status: 'not_ready',
      checks: { kafka: { status: 'down', error: 'Connection timeout' }, postgres: { status: 'up' } },
    });
    const checks = summarize([
      { service: 'gateway', result: ready('kafka', 'postgres') },
      { service: 'scheduler', result: kafkaDown },
      { service: 'executor', result: ready('kafka') },
      { service: 'projector', result: ready('postgres') },
    ]);
    expect(checks.find((check) => check.component === 'scheduler')).toMatchObject({
      status: 'down',
      detail: 'not ready: kafka: Connection timeout',
    });
    expect(checks.find((check) => check.component === 'kafka')).toMatchObject({
      kind: 'dependency',
      status: 'down',
      detail: 'scheduler: Connection timeout',
      hint: expect.stringContaining('tools/stack up'),
    });
    expect(checks.find((check) => check.component === 'postgres')).toMatchObject({
      status: 'ok',
      detail: 'up (seen by gateway, scheduler, projector)',
    });
  });

  it('says what an unreachable service means for runs', () => {
    const checks = summarize([
      { service: 'executor', result: { reachable: false, ready: false, detail: 'unreachable', checks: {} } },
    ]);
    expect(checks).toEqual([
      expect.objectContaining({
        component: 'executor',
        status: 'down',
        hint: expect.stringContaining('tasks wait in Kafka'),
      }),
    ]);
  });
});
