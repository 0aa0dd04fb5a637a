import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { KafkaMessaging } from '@spark/messaging';
import { RequireScope } from '../auth/scopes';
import { ApiProblems } from '../problems/problem.dto';
import { type ProbeResult, probeService, PROBED_SERVICES, serviceUrls } from './service-probe';
import { type Sample } from './prometheus-text';
import { type ExecutorLoadDto, SystemStatusDto } from './system.dto';

/** A page polled by every open console: one measurement serves everyone for this long. */
const CACHE_MS = 2000;

/** Kafka's admin calls retry for long when a broker is away: the page answers without the lags instead. */
const LAG_TIMEOUT_MS = 5000;

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const sum = (samples: Sample[], name: string) =>
  samples.filter((sample) => sample.name === name).reduce((total, sample) => total + sample.value, 0);

export function executorLoad(probe: ProbeResult): ExecutorLoadDto {
  const byHandler = probe.samples
    .filter((sample) => sample.name === 'spark_tasks_in_flight' && sample.labels.handler)
    .map((sample) => ({ handler: sample.labels.handler!, inFlight: sample.value }))
    .sort((a, b) => a.handler.localeCompare(b.handler));
  return {
    url: probe.url,
    ready: probe.ready,
    tasksInFlight: sum(probe.samples, 'spark_tasks_in_flight'),
    tasksQueued: sum(probe.samples, 'spark_tasks_queued'),
    byHandler,
  };
}

/**
 * The state of the installation as its services report it: each one's readiness, the projection's lag
 * (the projector's /metrics), every consumer group's lag (Kafka), tasks in flight per executor (its /metrics).
 */
@ApiTags('system')
@Controller('api/v1')
export class SystemController {
  private readonly urls = serviceUrls();
  private last?: { at: number; status: Promise<SystemStatusDto> };

  constructor(private readonly messaging: KafkaMessaging) {}

  @Get('system')
  @RequireScope('read')
  @ApiOperation({
    operationId: 'getSystemStatus',
    summary: "Services' readiness, projection lag, consumer lag and tasks in flight per executor",
    description: `Measured at most every ${CACHE_MS / 1000} s; a service that does not answer is reported, not an error.`,
  })
  @ApiOkResponse({ type: SystemStatusDto })
  @ApiProblems()
  status(): Promise<SystemStatusDto> {
    const now = Date.now();
    if (!this.last || now - this.last.at > CACHE_MS) this.last = { at: now, status: this.measure() };
    return this.last.status;
  }

  private async measure(): Promise<SystemStatusDto> {
    const [probes, consumers] = await Promise.all([
      Promise.all(
        PROBED_SERVICES.flatMap((service) => this.urls[service].map((url) => probeService(service, url))),
      ),
      withTimeout(this.messaging.consumerLag(), LAG_TIMEOUT_MS, 'Kafka did not answer in time').then(
        (lags) => ({ lags }),
        (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
      ),
    ]);
    const projection = probes
      .filter((probe) => probe.service === 'projector')
      .flatMap((probe) =>
        probe.samples
          .filter((sample) => sample.name === 'spark_projection_lag_events' && sample.labels.checkpoint)
          .map((sample) => ({
            checkpoint: sample.labels.checkpoint!,
            eventsBehind: sample.value,
            secondsBehind:
              probe.samples.find(
                (other) =>
                  other.name === 'spark_projection_lag_seconds' &&
                  other.labels.checkpoint === sample.labels.checkpoint,
              )?.value ?? 0,
            url: probe.url,
          })),
      );
    return {
      measuredAt: new Date().toISOString(),
      services: probes.map(({ service, url, ready, status, error }) => ({
        service,
        url,
        ready,
        ...(status !== undefined ? { status } : {}),
        ...(error !== undefined ? { error } : {}),
      })),
      projection,
      consumers: 'lags' in consumers ? consumers.lags : [],
      ...('error' in consumers ? { consumersError: consumers.error } : {}),
      executors: probes.filter((probe) => probe.service === 'executor').map(executorLoad),
    };
  }
}
