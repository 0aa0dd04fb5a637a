import { SCHEDULE_LABEL } from '@spark/contracts';

/** Where the relay can be made to die: around its n-th publish of one kind. */
const CRASH_POINTS = {
  /** After the TaskDispatched event is appended, before Kafka has the task (ADR 0040's window). */
  'kill-before-dispatch': { kind: 'dispatch', moment: 'before' },
  /** After a ScheduleFired event is appended, before Kafka has its StartRun. */
  'kill-before-schedule-start': { kind: 'schedule-start', moment: 'before' },
  /** After Kafka has a fire's StartRun, before the relay's checkpoint moves past it (so it is sent again). */
  'kill-after-schedule-start': { kind: 'schedule-start', moment: 'after' },
} as const;
type CrashPoint = keyof typeof CRASH_POINTS;
type PublishKind = (typeof CRASH_POINTS)[CrashPoint]['kind'];

/**
 * Crash points for fault tests, off unless `SPARK_FAULT_INJECTION=<point>:<n>` is set: the process kills
 * itself (SIGKILL, no cleanup) around the relay's n-th publish of that kind.
 */
export class FaultInjection {
  private published = 0;

  private constructor(
    private readonly point: (typeof CRASH_POINTS)[CrashPoint],
    private readonly nth: number,
  ) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): FaultInjection | undefined {
    const spec = env.SPARK_FAULT_INJECTION;
    if (!spec) return undefined;
    const match = /^([a-z-]+):(\d+)$/.exec(spec);
    if (!match || !(match[1]! in CRASH_POINTS))
      throw new Error(
        `SPARK_FAULT_INJECTION="${spec}" is not understood (known: ${Object.keys(CRASH_POINTS)
          .map((point) => `${point}:<n>`)
          .join(', ')})`,
      );
    return new FaultInjection(CRASH_POINTS[match[1] as CrashPoint], Number(match[2]));
  }

  beforePublish(topic: string, value: unknown): void {
    if (this.point.moment !== 'before' || kindOf(topic, value) !== this.point.kind) return;
    if (++this.published === this.nth) this.die(`before ${this.point.kind} #${this.published}`);
  }

  afterPublish(topic: string, value: unknown): void {
    if (this.point.moment !== 'after' || kindOf(topic, value) !== this.point.kind) return;
    if (++this.published === this.nth) this.die(`after ${this.point.kind} #${this.published}`);
  }

  private die(where: string): void {
    process.stderr.write(`fault injection: killing the scheduler ${where}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}

function kindOf(topic: string, value: unknown): PublishKind | undefined {
  if (topic.startsWith('spark.tasks.')) return 'dispatch';
  const command = value as { type?: string; labels?: Record<string, string> } | undefined;
  if (command?.type === 'StartRun' && command.labels?.[SCHEDULE_LABEL]) return 'schedule-start';
  return undefined;
}
