import { parsePrometheusText } from './prometheus-text';
import { serviceUrls } from './service-probe';
import { executorLoad } from './system.controller';

describe('the system status', () => {
  it('reads samples of a Prometheus exposition, labels unescaped, comments and junk skipped', () => {
    const samples = parsePrometheusText(
      [
        '# HELP spark_tasks_in_flight Tasks running in this executor, by handler.',
        '# TYPE spark_tasks_in_flight gauge',
        'spark_tasks_in_flight{handler="http"} 3',
        'spark_tasks_in_flight{handler="sleep",note="a \\"quoted\\" one"} 1',
        'spark_tasks_queued{handler="http"} 2',
        'process_start_time_seconds 1764582000',
        'not a sample',
        'spark_bad{handler="x"} NaN-ish',
      ].join('\n'),
    );
    expect(samples).toEqual([
      { name: 'spark_tasks_in_flight', labels: { handler: 'http' }, value: 3 },
      { name: 'spark_tasks_in_flight', labels: { handler: 'sleep', note: 'a "quoted" one' }, value: 1 },
      { name: 'spark_tasks_queued', labels: { handler: 'http' }, value: 2 },
      { name: 'process_start_time_seconds', labels: {}, value: 1764582000 },
    ]);
    expect(
      executorLoad({ service: 'executor', url: 'http://e1', ready: true, status: 200, samples }),
    ).toEqual({
      url: 'http://e1',
      ready: true,
      tasksInFlight: 4,
      tasksQueued: 2,
      byHandler: [
        { handler: 'http', inFlight: 3 },
        { handler: 'sleep', inFlight: 1 },
      ],
    });
  });

  it('finds the services by URL list, URL, or port on this host', () => {
    expect(
      serviceUrls({
        SPARK_EXECUTOR_URLS: 'http://e1:8082/, http://e2:8082',
        SPARK_PROJECTOR_URL: 'http://p:9000',
        SPARK_SCHEDULER_PORT: '9181',
      }),
    ).toEqual({
      scheduler: ['http://127.0.0.1:9181'],
      executor: ['http://e1:8082', 'http://e2:8082'],
      projector: ['http://p:9000'],
    });
  });
});
