/**
 * Crash points for fault tests, off unless `SPARK_FAULT_INJECTION` is set. The one that matters:
 * `kill-before-dispatch:<n>` kills this process (SIGKILL, no cleanup) just before the relay publishes
 * its n-th task dispatch — after the scheduler appended the TaskDispatched event, before Kafka has it:
 * the crash window between appending and publishing that ADR 0040 closes.
 */
export class FaultInjection {
  private dispatches = 0;

  private constructor(private readonly killBeforeDispatch: number) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): FaultInjection | undefined {
    const spec = env.SPARK_FAULT_INJECTION;
    if (!spec) return undefined;
    const match = /^kill-before-dispatch:(\d+)$/.exec(spec);
    if (!match)
      throw new Error(`SPARK_FAULT_INJECTION="${spec}" is not understood (known: kill-before-dispatch:<n>)`);
    return new FaultInjection(Number(match[1]));
  }

  beforePublish(topic: string): void {
    if (!topic.startsWith('spark.tasks.')) return;
    this.dispatches++;
    if (this.dispatches === this.killBeforeDispatch) {
      process.stderr.write(`fault injection: killing the scheduler before dispatch #${this.dispatches}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  }
}
