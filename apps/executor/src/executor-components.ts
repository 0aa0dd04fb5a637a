import type { KafkaMessaging } from '@spark/messaging';
import type { MetricsRegistry } from '@spark/service-kit';
import type { Logger } from 'pino';
import { builtInHandlers, HandlerRegistry, OutboundHttp } from './handlers';
import {
  type AttemptObserver,
  Bulkheads,
  CircuitBreakers,
  registerExecutorMetrics,
  TaskRunner,
} from './runtime';
import type { StartClaims } from './rate-limits';
import type { ExecutorSettings } from './settings';
import type { SecretResolver } from './secrets';
import { EnvironmentSourceResolver, FirstMatchSourceResolver, type SourceResolver } from './sources';
import { CancellationListener, KafkaResultSink, TaskConsumer } from './task-consumer';

export interface ExecutorComponents {
  circuits: CircuitBreakers;
  handlers: HandlerRegistry;
  runner: TaskRunner;
  consumer: TaskConsumer;
  cancellations: CancellationListener;
}

/** Wires the executor; the Nest module and the tests build it the same way. */
export function createExecutor(options: {
  messaging: KafkaMessaging;
  settings: ExecutorSettings;
  logger: Logger;
  workerId: string;
  shutdownGraceMs: number;
  sources?: SourceResolver;
  secrets?: SecretResolver;
  metrics?: MetricsRegistry;
  /** Where rate-limited starts are claimed (docs/adr/0127). */
  startClaims?: StartClaims;
}): ExecutorComponents {
  const { messaging, settings, logger } = options;
  const circuits = new CircuitBreakers(settings.circuitBreaker);
  const http = new OutboundHttp(circuits);
  const sources = options.sources ?? new FirstMatchSourceResolver([new EnvironmentSourceResolver()]);
  const handlers = new HandlerRegistry(builtInHandlers({ http, sources, secrets: options.secrets }));
  const results = new KafkaResultSink(messaging);
  const observer: AttemptObserver | undefined = options.metrics
    ? registerExecutorMetrics(options.metrics, { runner: (): TaskRunner => runner, circuits })
    : undefined;
  const runner = new TaskRunner(
    handlers,
    new Bulkheads(settings.concurrencyOf, settings.priorityAgingMs),
    results,
    {
      workerId: options.workerId,
      heartbeatThrottleMs: settings.heartbeatThrottleMs,
      startedReportDelayMs: settings.startedReportDelayMs,
    },
    logger,
    observer,
    options.startClaims,
  );
  const consumer = new TaskConsumer(messaging, runner, results, settings, logger, options.shutdownGraceMs);
  const cancellations = new CancellationListener(messaging, runner, options.workerId, logger);
  return { circuits, handlers, runner, consumer, cancellations };
}
