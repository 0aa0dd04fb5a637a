import { MetricsRegistry } from './metrics-registry';

describe('MetricsRegistry', () => {
  it('serves its metrics with the service label, then the hand-written expositions', async () => {
    const metrics = new MetricsRegistry('projector', { defaultMetrics: false });
    metrics.counter('spark_things_total', 'Things.', ['kind']).inc({ kind: 'a' });
    metrics.gauge('spark_depth', 'Depth.', [], (gauge) => gauge.set(7));
    metrics.addExposition(() => '# TYPE spark_projection_leader gauge\nspark_projection_leader 1');
    metrics.addExposition(() => {
      throw new Error('database away');
    });

    const text = await metrics.exposition();
    expect(text).toContain('spark_things_total{kind="a",service="projector"} 1\n');
    expect(text).toContain('spark_depth{service="projector"} 7\n');
    expect(text).toContain('spark_projection_leader 1\n');
    expect(text).toContain('# exposition failed: database away\n');
    // The same name twice is the same metric (a second engine in one process shares it).
    expect(metrics.counter('spark_things_total', 'Things.', ['kind'])).toBe(
      metrics.registry.getSingleMetric('spark_things_total'),
    );
  });

  it('includes the Node.js process metrics by default', async () => {
    const text = await new MetricsRegistry('gateway').exposition();
    expect(text).toContain('spark_process_cpu_seconds_total');
  });
});
