import { type Fleet, type Instance } from './fleet';
import { type PrivateStack } from '@spark/testing';
import { between, log, sleep } from './timing';

export type FaultKind = 'kill' | 'kafka-restart' | 'postgres-restart' | 'executor-pause';

export interface Fault {
  kind: FaultKind;
  target: string;
  /** Epoch ms when the fault began (the kill, the stop, the SIGSTOP). */
  at: number;
  /** How long the target was away (down or paused) until it was started or resumed again. */
  outageMs: number;
}

export interface FaultPlan {
  /** Milliseconds between two kills, drawn uniformly from [min, max]. */
  killEveryMs: [number, number];
  /** Milliseconds a killed instance stays down before it is started again. */
  restartAfterMs: [number, number];
  /** Moments of the fault phase (0..1) for the one-off faults; omitted ones do not happen. */
  kafkaRestartAt?: number;
  postgresRestartAt?: number;
  executorPauseAt?: number;
  /** How long the paused executor stays stopped (longer than the heartbeat timeout). */
  pauseMs: number;
  /** Kills to reach before the kill loop stops, even if the starts are over by then (runs still finish). */
  minKills?: number;
}

/**
 * Injects faults at random moments while the workload runs: kill -9 of a random running instance every
 * few seconds (started again after a short random delay), and at planned moments one broker restart, one
 * PostgreSQL fast restart and one executor pause (SIGSTOP … SIGCONT).
 */
export class FaultInjector {
  readonly faults: Fault[] = [];
  private stopping = false;
  private readonly pending: Promise<void>[] = [];
  private loop: Promise<void> | undefined;

  constructor(
    private readonly fleet: Fleet,
    private readonly stack: PrivateStack,
    private readonly plan: FaultPlan,
  ) {}

  /** Starts injecting; `expectedMs` is how long the fault phase is meant to last (for the one-offs). */
  start(expectedMs: number): void {
    const began = Date.now();
    const oneOffs: [number | undefined, () => Promise<void>][] = [
      [this.plan.executorPauseAt, () => this.pauseExecutor()],
      [this.plan.kafkaRestartAt, () => this.restart('kafka-restart', () => this.stack.restartKafka())],
      [
        this.plan.postgresRestartAt,
        () => this.restart('postgres-restart', () => this.stack.restartPostgres()),
      ],
    ];
    // One after the other, never overlapping: each gets its own recovery, 5 s at least between them.
    const chain = (async () => {
      for (const [at, fault] of oneOffs.sort((a, b) => (a[0] ?? 2) - (b[0] ?? 2))) {
        if (at === undefined) continue;
        const wait = began + at * expectedMs - Date.now();
        // Planned faults happen even when the starts are over (runs are still in flight then).
        if (wait > 0) await sleep(wait);
        await fault().catch((error: unknown) => log(`fault failed: ${String(error)}`));
        await sleep(5000);
      }
    })();
    this.pending.push(chain);
    this.loop = this.killLoop();
  }

  /**
   * Stops injecting once the planned faults are done (the one-offs, and `minKills` kills) and waits until
   * every instance and component is back.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
    await Promise.all(this.pending);
  }

  count(kind: FaultKind): number {
    return this.faults.filter((fault) => fault.kind === kind).length;
  }

  private async killLoop(): Promise<void> {
    for (;;) {
      await sleep(between(...this.plan.killEveryMs));
      if (this.stopping && this.killsBegun >= (this.plan.minKills ?? 0)) return;
      // A ready instance whose sibling is ready too: each service keeps one replica serving.
      const ready = (instance: Instance) => instance.ready && !this.busy.has(instance.name);
      const candidates = this.fleet.instances.filter(
        (instance) =>
          ready(instance) &&
          this.fleet.of(instance.service).every((sibling) => sibling === instance || ready(sibling)),
      );
      const victim = candidates[Math.floor(Math.random() * candidates.length)];
      if (victim) {
        this.killsBegun++;
        this.pending.push(this.killAndRestart(victim));
      }
    }
  }

  /** Kills begun (each is counted in `faults` once its instance is started again). */
  private killsBegun = 0;

  /** Instances being killed, restarted or paused: no second fault lands on them meanwhile. */
  private readonly busy = new Set<string>();

  private async killAndRestart(instance: Instance): Promise<void> {
    this.busy.add(instance.name);
    try {
      await this.killAndRestartNow(instance);
    } finally {
      this.busy.delete(instance.name);
    }
  }

  private async killAndRestartNow(instance: Instance): Promise<void> {
    const at = Date.now();
    await this.fleet.kill(instance);
    const downMs = between(...this.plan.restartAfterMs);
    log(`kill -9 ${instance.name}; back in ${downMs} ms`);
    const fault: Fault = { kind: 'kill', target: instance.name, at, outageMs: 0 };
    this.faults.push(fault);
    await sleep(downMs);
    fault.outageMs = Date.now() - at;
    // A service refuses to start while Kafka or PostgreSQL is away (it exits 1): try again, as a
    // supervisor would, until it is back.
    const deadline = Date.now() + 180_000;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.fleet.startInstance(instance);
        return;
      } catch (error) {
        await this.fleet.kill(instance);
        if (Date.now() > deadline) {
          log(`${instance.name} did not come back after ${attempt} attempts: ${String(error)}`);
          return;
        }
        await sleep(2000);
      }
    }
  }

  private async restart(kind: FaultKind, action: () => Promise<void>): Promise<void> {
    const at = Date.now();
    log(`${kind}: begins`);
    await action();
    this.faults.push({ kind, target: kind.split('-')[0]!, at, outageMs: Date.now() - at });
    log(`${kind}: back after ${Date.now() - at} ms`);
  }

  private async pauseExecutor(): Promise<void> {
    const executors = this.fleet
      .of('executor')
      .filter((instance) => instance.ready && !this.busy.has(instance.name));
    const victim = executors[Math.floor(Math.random() * executors.length)];
    if (!victim) return;
    this.busy.add(victim.name);
    const at = Date.now();
    this.fleet.signal(victim, 'SIGSTOP');
    log(`SIGSTOP ${victim.name} for ${this.plan.pauseMs} ms`);
    await sleep(this.plan.pauseMs);
    this.fleet.signal(victim, 'SIGCONT');
    this.busy.delete(victim.name);
    this.faults.push({ kind: 'executor-pause', target: victim.name, at, outageMs: Date.now() - at });
  }
}
