import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: 100 on every Linux this runs on (it is fixed by the kernel ABI for /proc). */
const CLOCK_TICKS_PER_SECOND = 100;

/** The stack's programs a bench's runs cost CPU in, besides the services (counted by pid). */
export type StackProgram = 'postgres' | 'kafka' | 'jaeger' | 'vegeta';

/** utime + stime of a live process from /proc/<pid>/stat (Linux), in ms; undefined elsewhere. */
export function processCpuMillis(pid: number | string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * (1000 / CLOCK_TICKS_PER_SECOND) : undefined;
  } catch {
    return undefined;
  }
}

function programOf(pid: string): StackProgram | undefined {
  try {
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    if (comm === 'postgres') return 'postgres';
    if (comm === 'vegeta') return 'vegeta';
    if (comm.includes('jaeger')) return 'jaeger';
    if (comm === 'java' && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka.Kafka'))
      return 'kafka';
  } catch {
    // the process ended while we looked
  }
  return undefined;
}

/**
 * CPU time (ms) each stack program used between `start()` and `stop()`, read from /proc once a second
 * and at both ends: a process that starts in between (vegeta) counts from zero, one that ends in
 * between counts up to its last reading.
 */
export class StackCpuSampler {
  private readonly seen = new Map<string, { program: StackProgram; first: number; last: number }>();
  private timer?: NodeJS.Timeout;
  private started = false;

  start(): void {
    this.seen.clear();
    this.started = false;
    this.scan();
    this.started = true;
    this.timer = setInterval(() => this.scan(), 1000);
  }

  stop(): Record<StackProgram, number> {
    clearInterval(this.timer);
    this.scan();
    const totals: Record<StackProgram, number> = { postgres: 0, kafka: 0, jaeger: 0, vegeta: 0 };
    for (const { program, first, last } of this.seen.values()) totals[program] += last - first;
    return totals;
  }

  private scan(): void {
    let pids: string[];
    try {
      pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
    } catch {
      return;
    }
    for (const pid of pids) {
      const known = this.seen.get(pid);
      const program = known?.program ?? programOf(pid);
      if (!program) continue;
      const millis = processCpuMillis(pid);
      if (millis === undefined) continue;
      if (known) known.last = millis;
      else this.seen.set(pid, { program, first: this.started ? 0 : millis, last: millis });
    }
  }
}

/** Busy CPU time (ms) of the whole machine so far, every process of every user (/proc/stat). */
export function machineBusyMillis(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // cpu user nice system idle iowait irq softirq steal ...
    const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = user! + nice! + system! + irq! + softirq!;
    return Number.isFinite(busy) ? busy * (1000 / CLOCK_TICKS_PER_SECOND) : undefined;
  } catch {
    return undefined;
  }
}
