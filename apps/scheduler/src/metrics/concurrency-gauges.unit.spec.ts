import { MetricsRegistry } from '@spark/service-kit';
import { type ScopeGauge } from '../concurrency';
import { concurrencyGauges } from './concurrency-gauges';

describe('concurrency gauges', () => {
  it('show slots in use and runs waiting per workflow and key, as the coordinator last decided them', async () => {
    const registry = new MetricsRegistry('scheduler', { defaultMetrics: false });
    let scopes: ScopeGauge[] = [
      { workflow: 'ingest', key: 'tenant-a', inUse: 3, waiting: 7 },
      { workflow: 'ingest', key: 'tenant-b', inUse: 1, waiting: 0 },
    ];
    concurrencyGauges(registry, {
      get scopes() {
        return scopes;
      },
    });
    let text = await registry.exposition();
    expect(text).toContain(
      'spark_concurrency_slots_in_use{workflow="ingest",key="tenant-a",service="scheduler"} 3',
    );
    expect(text).toContain(
      'spark_concurrency_waiting{workflow="ingest",key="tenant-a",service="scheduler"} 7',
    );
    expect(text).toContain(
      'spark_concurrency_waiting{workflow="ingest",key="tenant-b",service="scheduler"} 0',
    );
    // A new leader that has decided nothing yet shows no scope (not the old figures).
    scopes = [];
    text = await registry.exposition();
    expect(text).not.toContain('key="tenant-a"');
  });
});
