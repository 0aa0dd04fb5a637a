/**
 * In-flight benchmark: many runs alive at once, each parked on a `wait` timer or a slow HTTP call, all
 * started together; then how long until every one completed, and the scheduler's and executor's peak
 * resident memory (VmHWM). Run with bench/in-flight/run.sh.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Topics, type StartRunCommand } from '@spark/contracts';
import { EngineHarness, WORKSPACE_ROOT } from '@spark/testing';
import { describeMachine } from '../shared/machine';

const runs = Number(process.env.BENCH_IN_FLIGHT_RUNS ?? '10000');
const waitMs = Number(process.env.BENCH_IN_FLIGHT_WAIT_MS ?? '20000');
const shape = process.env.BENCH_IN_FLIGHT_SHAPE === 'http' ? 'http' : 'wait';
const connectionString = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';

/** Peak and current resident memory of a process, in MiB, from /proc. */
function memoryOf(pid: number): { peakMiB: number; nowMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peakMiB: kib('VmHWM') / 1024, nowMiB: kib('VmRSS') / 1024 };
}

/** An HTTP service that answers every request after `waitMs` (the slow dependency of the http shape). */
async function slowService(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    request.resume();
    setTimeout(
      () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
      waitMs,
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/slow`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function main() {
  const startedAt = new Date();
  const service = shape === 'http' ? await slowService() : undefined;
  const engine = await EngineHarness.start({
    services: ['scheduler', 'executor'],
    env: {
      SPARK_LOG_LEVEL: 'warn',
      // The http shape parks every run in the executor: let it hold them all at once.
      SPARK_EXECUTOR_CONCURRENCY_HTTP: String(runs),
    },
  });
  try {
    const workflow = `bench-in-flight-${randomUUID().slice(0, 8)}`;
    await engine.register({
      name: workflow,
      version: 1,
      steps: [
        shape === 'wait'
          ? { id: 'park', type: 'wait', duration: `${waitMs}ms` }
          : {
              id: 'park',
              type: 'task',
              handler: 'http',
              config: { method: 'GET', url: service!.url, timeoutMs: waitMs * 10 },
              timeout: { startToClose: `${waitMs * 10}ms` },
            },
      ],
    });
    const subscription = engine.store.subscribeToAll({
      filter: { streamNamePrefixes: ['run-'], eventTypes: ['RunCompleted', 'RunFailed', 'RunTimedOut'] },
    });
    const commands: StartRunCommand[] = Array.from({ length: runs }, () => ({
      type: 'StartRun',
      commandId: randomUUID(),
      runId: randomUUID(),
      issuedAt: new Date().toISOString(),
      workflow: { name: workflow, version: 1 },
      input: {},
    }));
    const ours = new Set(commands.map((command) => command.runId));
    const t0 = performance.now();
    for (let i = 0; i < commands.length; i += 500)
      await engine.messaging.publish(
        Topics.commands,
        commands.slice(i, i + 500).map((command) => ({ key: command.runId, value: JSON.stringify(command) })),
      );
    const publishedMs = performance.now() - t0;
    let completed = 0;
    let failed = 0;
    let lastAt = 0;
    const deadline = setTimeout(() => void subscription.close(), waitMs + 300_000);
    for await (const event of subscription) {
      if (!ours.has(event.streamName.slice('run-'.length))) continue;
      if (event.type === 'RunCompleted') completed++;
      else failed++;
      lastAt = performance.now();
      if (completed + failed === runs) break;
    }
    clearTimeout(deadline);
    await subscription.close();
    const memory = Object.fromEntries(
      (['scheduler', 'executor'] as const).map((name) => [
        name,
        memoryOf(engine.processes.get(name)!.child.pid!),
      ]),
    );
    const figures = {
      runs,
      waitMs,
      completed,
      failed,
      publishSeconds: publishedMs / 1000,
      allDoneSeconds: (lastAt - t0) / 1000,
      overheadSeconds: (lastAt - t0 - waitMs) / 1000,
      schedulerPeakMiB: memory.scheduler!.peakMiB,
      executorPeakMiB: memory.executor!.peakMiB,
    };
    const machine = await describeMachine(connectionString);
    const report = [
      `# In-flight benchmark — ${startedAt.toISOString()}`,
      '',
      `Command: \`bench/in-flight/run.sh\` (shape ${shape}). ${runs} runs started at once (StartRun on`,
      `\`spark.commands\` in sends of 500), each ${shape === 'wait' ? `waiting on a ${waitMs} ms \`wait\` timer` : `calling an HTTP service that answers after ${waitMs} ms`};`,
      'scheduler and executor as processes on the real Kafka and PostgreSQL; completion from a live event-store subscription.',
      '',
      '## Machine',
      '',
      ...machine,
      '',
      '## Result',
      '',
      '| runs | completed | failed | all started (s) | all completed (s) | over the wait (s) | scheduler peak RSS (MiB) | executor peak RSS (MiB) |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${runs} | ${completed} | ${failed} | ${figures.publishSeconds.toFixed(2)} | ${figures.allDoneSeconds.toFixed(2)} | ${figures.overheadSeconds.toFixed(2)} | ${figures.schedulerPeakMiB.toFixed(0)} | ${figures.executorPeakMiB.toFixed(0)} |`,
      '',
    ].join('\n');
    process.stdout.write(report);
    const dir = path.join(WORKSPACE_ROOT, 'bench', 'reports');
    mkdirSync(dir, { recursive: true });
    const day = startedAt.toISOString().slice(0, 10);
    writeFileSync(path.join(dir, `in-flight-${shape}-${day}.md`), report);
    writeFileSync(path.join(dir, `in-flight-${shape}-${day}.json`), JSON.stringify(figures, null, 2) + '\n');
    if (completed !== runs) process.exitCode = 1;
  } finally {
    await engine.stop();
    await service?.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
