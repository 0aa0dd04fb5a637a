import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

type Exposition = () => Promise<string> | string;

/**
 * The process's metrics, served on `GET /metrics` in Prometheus text format: prom-client metrics
 * registered here (Node.js defaults included) plus any hand-written expositions a service adds.
 * Metric names start with `spark_`; every series carries the `service` label.
 */
export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly expositions: Exposition[] = [];

  constructor(service: string, options: { defaultMetrics?: boolean } = {}) {
    this.registry.setDefaultLabels({ service });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'spark_' });
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return this.existing(name) ?? new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    collect?: (gauge: Gauge<L>) => Promise<void> | void,
  ): Gauge<L> {
    return (
      this.existing(name) ??
      new Gauge({
        name,
        help,
        labelNames,
        registers: [this.registry],
        ...(collect
          ? {
              collect(this: Gauge<L>) {
                return collect(this);
              },
            }
          : {}),
      })
    );
  }

  histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  ): Histogram<L> {
    return (
      this.existing(name) ?? new Histogram({ name, help, labelNames, buckets, registers: [this.registry] })
    );
  }

  /** Adds text in Prometheus exposition format written by the service itself. */
  addExposition(exposition: Exposition): void {
    this.expositions.push(exposition);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async exposition(): Promise<string> {
    const parts = await Promise.all([
      this.registry.metrics(),
      ...this.expositions.map(async (exposition) => {
        try {
          return await exposition();
        } catch (error) {
          return `# exposition failed: ${error instanceof Error ? error.message : String(error)}\n`;
        }
      }),
    ]);
    return parts.map((part) => (part.endsWith('\n') || part === '' ? part : `${part}\n`)).join('');
  }

  private existing<M>(name: string): M | undefined {
    return this.registry.getSingleMetric(name) as M | undefined;
  }
}
