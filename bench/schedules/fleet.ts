import { randomUUID } from 'node:crypto';
import { scheduleRepository, type ScheduleRepository } from '@spark/engine';
import { type EventStore } from '@spark/event-store';
import { type ScheduleCommand } from '@spark/workflow-domain';
import { inParallel } from './stats';

/** Commands in flight at once when creating or pausing a fleet (the event store pool is small). */
const PARALLEL_COMMANDS = 16;

/**
 * N schedules of one workflow, every second (`* * * * * *`, ALLOW_ALL), written the way the gateway writes
 * them: decide + append on the `schedule-<id>` stream through the schedule repository.
 */
export class ScheduleFleet {
  private readonly repository: ScheduleRepository;

  private constructor(
    store: EventStore,
    readonly ids: readonly string[],
  ) {
    this.repository = scheduleRepository(store);
  }

  static async create(store: EventStore, workflow: string, label: string, count: number) {
    const suffix = randomUUID().slice(0, 8);
    const ids = Array.from({ length: count }, (_, index) => `bench-${label}-${suffix}-${index}`);
    const fleet = new ScheduleFleet(store, ids);
    await inParallel(ids, PARALLEL_COMMANDS, (scheduleId) =>
      fleet.command(scheduleId, 'CreateSchedule', {
        scheduleId,
        schedule: {
          spec: { kind: 'cron', expression: '* * * * * *' },
          workflow: { name: workflow },
          overlap: 'ALLOW_ALL',
        },
      }),
    );
    return fleet;
  }

  /** Pauses every schedule; returns how many needed more than the repository's own conflict retries. */
  async pauseAll(): Promise<number> {
    let extraAttempts = 0;
    await inParallel(this.ids, PARALLEL_COMMANDS, async (scheduleId) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.command(scheduleId, 'PauseSchedule', { reason: 'bench phase over' });
        } catch (error) {
          if (attempt >= 5) throw error;
          extraAttempts++;
        }
      }
    });
    return extraAttempts;
  }

  private command(scheduleId: string, type: ScheduleCommand['type'], data: object) {
    return this.repository.handle(
      scheduleId,
      { type, data, metadata: { now: new Date().toISOString() } } as ScheduleCommand,
      { causationId: `bench:${randomUUID()}` },
    );
  }
}
