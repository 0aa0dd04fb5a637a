import type { MetricsRegistry } from '@spark/service-kit';
import { type ScheduleEvent } from '@spark/workflow-domain';

/**
 * What the scheduler's leader decided for schedules: fires by trigger, how late calendar fires were
 * (fired at minus nominal time, jitter included), fires skipped by the overlap policy, missed reports.
 */
export class ScheduleMetrics {
  private readonly fires;
  private readonly lateness;
  private readonly skipped;
  private readonly missed;

  constructor(metrics: MetricsRegistry, schedulesArmed: () => Promise<number>) {
    this.fires = metrics.counter(
      'spark_schedule_fires_total',
      'Schedule fires that started a run, by trigger.',
      ['trigger'],
    );
    this.lateness = metrics.histogram(
      'spark_schedule_fire_lateness_seconds',
      'How long after its nominal time a calendar or catch-up fire happened.',
      ['trigger'],
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    );
    this.skipped = metrics.counter(
      'spark_schedule_fires_skipped_total',
      'Schedule fires skipped by the overlap policy.',
      [],
    );
    this.missed = metrics.counter(
      'spark_schedule_fires_missed_total',
      'Reports of fires older than the catch-up window (each report is a range of fires).',
      [],
    );
    metrics.gauge('spark_schedules_armed', 'Schedules with an armed timer.', [], async (gauge) => {
      gauge.set(await schedulesArmed());
    });
  }

  readonly decided = (events: readonly ScheduleEvent[]): void => {
    for (const event of events) {
      switch (event.type) {
        case 'ScheduleFired': {
          const { trigger, firedAt, nominalTime } = event.data;
          this.fires.inc({ trigger });
          if (trigger === 'calendar' || trigger === 'catch-up')
            this.lateness.observe({ trigger }, (Date.parse(firedAt) - Date.parse(nominalTime)) / 1000);
          break;
        }
        case 'ScheduleFireSkipped':
          this.skipped.inc();
          break;
        case 'ScheduleFiresMissed':
          this.missed.inc();
          break;
        default:
          break;
      }
    }
  };
}
