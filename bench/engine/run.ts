/**
 * Engine benchmark: end-to-end latency of one-step and three-step runs (StartRun on Kafka → RunCompleted
 * in the event store) and sustained runs per second, with the scheduler and executor as real processes
 * against the real Kafka and PostgreSQL. Run with bench/engine/run.sh.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Topics, type StartRunCommand } from '@spark/contracts';
import { type EventSubscription } from '@spark/event-store';
import { EngineHarness, WORKSPACE_ROOT } from '@spark/testing';
import { describeMachine } from '../shared/machine';
import { formatMs, summarise, type LatencySummary } from '../shared/stats';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const connectionString = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
const FINAL = ['RunCompleted', 'RunFailed', 'RunCancelled', 'RunTimedOut'];

/** Resolves when a run's final event is delivered by a live subscription (no polling). */
class Completions {
  private readonly waiting = new Map<string, (at: number) => void>();
  private readonly early = new Map<string, number>();
  private readonly loop: Promise<void>;

  constructor(private readonly subscription: EventSubscription) {
    this.loop = this.follow();
  }

  wait(runId: string): Promise<number> {
    const seen = this.early.get(runId);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiting.set(runId, resolve));
  }

  async close() {
    await this.subscription.close();
    await this.loop;
  }

  private async follow() {
    for await (const event of this.subscription) {
      const runId = event.streamName.slice('run-'.length);
      if (event.type !== 'RunCompleted') throw new Error(`run ${runId} ended with ${event.type}`);
      const now = performance.now();
      const resolve = this.waiting.get(runId);
      if (resolve) {
        this.waiting.delete(runId);
        resolve(now);
      } else this.early.set(runId, now);
    }
  }
}

function startCommand(workflow: string): StartRunCommand {
  const runId = randomUUID();
  return {
    type: 'StartRun',
    commandId: randomUUID(),
    runId,
    issuedAt: new Date().toISOString(),
    workflow: { name: workflow, version: 1 },
    input: { n: 1 },
  };
}

async function latency(
  engine: EngineHarness,
  completions: Completions,
  workflow: string,
  runs: number,
): Promise<LatencySummary> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const command = startCommand(workflow);
    const started = performance.now();
    await engine.messaging.publish(Topics.commands, [{ key: command.runId, value: JSON.stringify(command) }]);
    samples.push((await completions.wait(command.runId)) - started);
  }
  return summarise(samples);
}

async function throughput(engine: EngineHarness, completions: Completions, workflow: string, runs: number) {
  const commands = Array.from({ length: runs }, () => startCommand(workflow));
  const started = performance.now();
  const done = Promise.all(commands.map((command) => completions.wait(command.runId)));
  for (let i = 0; i < commands.length; i += 100) {
    await engine.messaging.publish(
      Topics.commands,
      commands.slice(i, i + 100).map((command) => ({ key: command.runId, value: JSON.stringify(command) })),
    );
  }
  const finishedAt = Math.max(...(await done));
  const seconds = (finishedAt - started) / 1000;
  return { runs, seconds, runsPerSecond: runs / seconds };
}

async function main() {
  const startedAt = new Date();
  const engine = await EngineHarness.start({ env: { SPARK_LOG_LEVEL: 'warn' } });
  try {
    const oneStep = `bench-one-${randomUUID().slice(0, 8)}`;
    const threeSteps = `bench-three-${randomUUID().slice(0, 8)}`;
    await engine.register({
      name: oneStep,
      version: 1,
      steps: [{ id: 'a', type: 'task', handler: 'noop', input: '=input' }],
    });
    await engine.register({
      name: threeSteps,
      version: 1,
      steps: [
        { id: 'a', type: 'task', handler: 'noop', input: '=input' },
        {
          id: 'b',
          type: 'task',
          needs: ['a'],
          handler: 'transform',
          config: { expression: 'input.n + 1' },
          input: '=steps.a.output',
        },
        { id: 'c', type: 'task', needs: ['b'], handler: 'noop', input: '=steps.b.output' },
      ],
    });
    const completions = new Completions(
      engine.store.subscribeToAll({ filter: { streamNamePrefixes: ['run-'], eventTypes: FINAL } }),
    );
    await latency(engine, completions, oneStep, Math.max(5, Math.round(20 * scale))); // warm-up
    const one = await latency(engine, completions, oneStep, Math.max(10, Math.round(200 * scale)));
    const three = await latency(engine, completions, threeSteps, Math.max(10, Math.round(100 * scale)));
    const sustained = await throughput(engine, completions, oneStep, Math.max(50, Math.round(1000 * scale)));
    await completions.close();

    const machine = await describeMachine(connectionString);
    const report = [
      `# Engine benchmark — ${startedAt.toISOString()}`,
      '',
      `Command: \`bench/engine/run.sh\` (BENCH_SCALE=${scale}). Scheduler and executor as processes (dist/), real Kafka 4 and`,
      'PostgreSQL from tools/stack, PostgreSQL event store. Latency = publishing StartRun to `spark.commands` →',
      'RunCompleted delivered by a live event-store subscription; runs one at a time. Sustained = runs started in',
      'batches of 100 as fast as possible, until the last completes.',
      '',
      '## Machine',
      '',
      ...machine,
      '',
      '## End-to-end latency',
      '',
      '| workflow | runs | p50 ms | p99 ms | max ms |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| one step (noop) | ${one.count} | ${formatMs(one.p50Ms)} | ${formatMs(one.p99Ms)} | ${formatMs(one.maxMs)} |`,
      `| three steps (noop → transform → noop) | ${three.count} | ${formatMs(three.p50Ms)} | ${formatMs(three.p99Ms)} | ${formatMs(three.maxMs)} |`,
      '',
      '## Sustained throughput',
      '',
      `${sustained.runs} one-step runs in ${sustained.seconds.toFixed(1)} s: **${sustained.runsPerSecond.toFixed(0)} runs/s**.`,
      '',
    ].join('\n');
    process.stdout.write(report);
    const dir = path.join(WORKSPACE_ROOT, 'bench/reports');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `engine-${startedAt.toISOString().slice(0, 10)}.md`), report);
  } finally {
    await engine.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
