import { MetricsRegistry } from '@spark/service-kit';
import { rateLimitGauges } from './rate-limit-gauges';
import { startControlGauges } from './start-control-gauges';

describe('rate-limit and start-control gauges', () => {
  it('show what waits per key, and nothing for a key with nothing waiting', async () => {
    const registry = new MetricsRegistry('scheduler', { defaultMetrics: false });
    let keys = [{ key: 'model-x', waiting: 12 }];
    rateLimitGauges(registry, {
      get keys() {
        return keys;
      },
    });
    startControlGauges(registry, {
      pending: [{ control: 'throttle', workflow: 'call-model', key: 'tenant-a', pending: 4 }],
    });
    let text = await registry.exposition();
    expect(text).toContain('spark_rate_limit_waiting{key="model-x",service="scheduler"} 12');
    expect(text).toContain(
      'spark_start_control_pending{control="throttle",workflow="call-model",key="tenant-a",service="scheduler"} 4',
    );
    keys = [];
    text = await registry.exposition();
    expect(text).not.toContain('key="model-x"');
  });
});
