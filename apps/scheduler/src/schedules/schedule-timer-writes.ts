import { type ScheduleTimer } from './schedule-timer-store';

/**
 * The schedule timer changes of one relay batch, reduced to the newest per schedule (by the revision
 * of the event that asked for it). Every row is guarded by revision, so the newest change alone leaves
 * the table as applying all of them in order would: an arm replaces any older row, a disarm deletes
 * any older one.
 */
export class ScheduleTimerWrites {
  private readonly newest = new Map<
    string,
    { upsert: ScheduleTimer } | { remove: { scheduleId: string; revision: bigint } }
  >();

  upsert(timer: ScheduleTimer): void {
    if (this.isNewer(timer.scheduleId, timer.revision)) this.newest.set(timer.scheduleId, { upsert: timer });
  }

  remove(scheduleId: string, revision: bigint): void {
    if (this.isNewer(scheduleId, revision)) this.newest.set(scheduleId, { remove: { scheduleId, revision } });
  }

  get upserts(): ScheduleTimer[] {
    return [...this.newest.values()].flatMap((change) => ('upsert' in change ? [change.upsert] : []));
  }

  get removals(): { scheduleId: string; revision: bigint }[] {
    return [...this.newest.values()].flatMap((change) => ('remove' in change ? [change.remove] : []));
  }

  get empty(): boolean {
    return this.newest.size === 0;
  }

  private isNewer(scheduleId: string, revision: bigint): boolean {
    const current = this.newest.get(scheduleId);
    if (!current) return true;
    return revision >= ('upsert' in current ? current.upsert.revision : current.remove.revision);
  }
}
