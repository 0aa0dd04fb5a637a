/**
 * Console benchmark: in Debian's Chromium (playwright-core), how a list of 10,000 runs scrolls (frame
 * times while scrolling it top to bottom, rows in the page) and how long a run with a 500-item map
 * takes to open (navigation until its graph shows 500/500 items and its attempts are listed).
 * Not asserted anywhere. Run with bench/console/run.sh.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { unwrap } from '@spark/client';
import { Topics, type StartRunCommand } from '@spark/contracts';
import { launchChromium, WORKSPACE_ROOT } from '@spark/testing';
import { type Page } from 'playwright-core';
import { describeMachine } from '../shared/machine';
import { machineFigures, writeReport } from '../shared/report';
import { summarise } from '../shared/stats';
import { countRuns, eventually, runOf, startConsoleStack } from './stack';

const RUNS = Number(
  process.env.BENCH_CONSOLE_RUNS ?? Math.round(10_000 * Number(process.env.BENCH_SCALE ?? '1')),
);
const ITEMS = Number(process.env.BENCH_CONSOLE_MAP_ITEMS ?? '500');
/** The report's file name (bench/reports/<name>-<date>.md): a second sitting of a day keeps the first. */
const REPORT_NAME = process.env.BENCH_CONSOLE_REPORT ?? 'console';
/** How often the map run is opened (per build when comparing). */
const OPENS = Number(process.env.BENCH_CONSOLE_OPENS ?? '3');
/**
 * Another build of the console (its dist/apps/console, e.g. of the main branch): the opens alternate
 * between it and this one in one sitting (its hashed assets beside ours, index.html swapped between opens).
 */
const COMPARE_DIR = process.env.BENCH_CONSOLE_COMPARE_DIR;
/** 1: a CPU profile of the browser's main thread while the map run opens, top self time by function. */
const PROFILE = process.env.BENCH_CONSOLE_PROFILE === '1';
const connectionString = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';

// Run in the page (as source text: this file is compiled for Node, without the DOM's types).
/** Scrolls the run list to its end (which loads the next page) and answers how many runs it lists. */
const SCROLL_TO_END = `(() => {
  const scroller = document.querySelector('[data-testid="runs-scroller"]');
  scroller.scrollTop = scroller.scrollHeight;
  return Number(document.querySelector('[aria-label="Runs"]')?.getAttribute('aria-rowcount') ?? 0);
})()`;
/** From the top to the end, 600 px (15 rows) a frame, a brisk fling: every frame's time and the most rows in the page. */
const MEASURED_SCROLL = `new Promise((resolve) => {
  const scroller = document.querySelector('[data-testid="runs-scroller"]');
  scroller.scrollTop = 0;
  const frames = [];
  let maxRows = 0;
  let last = performance.now();
  const begin = last;
  const step = (now) => {
    frames.push(now - last);
    last = now;
    maxRows = Math.max(maxRows, scroller.querySelectorAll('[data-run]').length);
    if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1)
      return resolve({ frames: frames.slice(1), maxRows, totalMs: now - begin });
    scroller.scrollTop += 600;
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
})`;

interface RequestTiming {
  name: string;
  startMs: number;
  durationMs: number;
}
/** The page's requests since navigation: path (ids shortened), start and duration. */
const REQUEST_TIMINGS = `performance.getEntriesByType('resource').map((entry) => ({
  name: new URL(entry.name).pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}'),
  startMs: entry.startTime,
  durationMs: entry.duration,
}))`;

/** GET /api/v1/runs/{id} requests since navigation. */
const RUN_READS = `performance.getEntriesByType('resource').filter((entry) => /\\/api\\/v1\\/runs\\/[0-9a-f-]{36}$/.test(new URL(entry.name).pathname)).length`;

async function main() {
  const startedAt = new Date();
  const stack = await startConsoleStack();
  const browser = await launchChromium();
  try {
    const { admin, engine } = stack;
    const suffix = randomUUID().slice(0, 8);
    const many = `bench-many-${suffix}`;
    const mapped = `bench-map-${suffix}`;
    // The list's runs wait on a timer (the scheduler alone): seeding measures nothing of the executor.
    await unwrap(
      admin.POST('/api/v1/workflows', {
        body: { name: many, version: 1, steps: [{ id: 'pause', type: 'wait', duration: '1s' }] },
      }),
    );
    await unwrap(
      admin.POST('/api/v1/workflows', {
        body: {
          name: mapped,
          version: 1,
          steps: [
            { id: 'items', type: 'map', items: 'input.items', concurrency: 50, task: { handler: 'noop' } },
          ],
        },
      }),
    );

    // 10,000 runs through Kafka in sends of 500 (as the gateway would start them, without its HTTP cost).
    const seedStart = performance.now();
    const commands: StartRunCommand[] = Array.from({ length: RUNS }, (_, i) => ({
      type: 'StartRun',
      commandId: randomUUID(),
      runId: randomUUID(),
      issuedAt: new Date().toISOString(),
      workflow: { name: many, version: 1 },
      input: { i },
      labels: { bench: 'console' },
    }));
    for (let i = 0; i < commands.length; i += 500)
      await engine.messaging.publish(
        Topics.commands,
        commands.slice(i, i + 500).map((command) => ({ key: command.runId, value: JSON.stringify(command) })),
      );
    await eventually(
      () => countRuns(admin, many),
      (count) => count >= RUNS,
      `${RUNS} runs in the read model`,
      600_000,
      2000,
    );
    const seedSeconds = (performance.now() - seedStart) / 1000;

    const { runId: mapRunId } = await unwrap(
      admin.POST('/api/v1/runs', {
        body: { workflow: mapped, input: { items: Array.from({ length: ITEMS }, (_, i) => i) } },
      }),
    );
    await eventually(
      () => runOf(admin, mapRunId),
      (run) => run.status === 'COMPLETED',
      'the map run',
      300_000,
    );

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript((key) => sessionStorage.setItem('spark.console.apiKey', key), stack.adminKey);
    const page = await context.newPage();

    // The list: first rows, then every page loaded by scrolling, then a measured scroll top to bottom.
    const list =
      RUNS > 0 ? await measureList(page, `${stack.baseUrl}/console/runs?workflow=${many}`) : undefined;

    // The map run: navigation until the graph shows every item done and the attempts are listed.
    const opens: number[] = [];
    const compareOpens: number[] = [];
    const reads: number[] = [];
    const compareReads: number[] = [];
    let profile: string[] = [];
    let requests: RequestTiming[] = [];
    const consoleDir = path.join(WORKSPACE_ROOT, 'dist/apps/console');
    const ownIndex = readFileSync(path.join(consoleDir, 'index.html'), 'utf8');
    const compareIndex = COMPARE_DIR ? readFileSync(path.join(COMPARE_DIR, 'index.html'), 'utf8') : undefined;
    if (COMPARE_DIR)
      cpSync(path.join(COMPARE_DIR, 'assets'), path.join(consoleDir, 'assets'), { recursive: true });
    const rounds = COMPARE_DIR ? OPENS * 2 : OPENS;
    for (let i = 0; i < rounds; i++) {
      const other = compareIndex !== undefined && i % 2 === 1;
      writeFileSync(path.join(consoleDir, 'index.html'), other ? compareIndex : ownIndex);
      const cdp =
        PROFILE && i === rounds - (COMPARE_DIR ? 2 : 1)
          ? await page.context().newCDPSession(page)
          : undefined;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      const openStart = performance.now();
      await page.goto(`${stack.baseUrl}/console/runs/${mapRunId}`);
      await page
        .locator(`[data-step="items"]`)
        .filter({ hasText: `${ITEMS}/${ITEMS} items` })
        .waitFor();
      await page.locator('[data-attempt]').first().waitFor();
      (other ? compareOpens : opens).push(performance.now() - openStart);
      if (cdp) {
        const { profile: cpu } = await cdp.send('Profiler.stop');
        profile = topSelfTime(cpu as CpuProfile);
        await cdp.detach();
        requests = await page.evaluate<RequestTiming[]>(REQUEST_TIMINGS);
      }
      // Reads of the run within 1.5 s of the open (each re-reads its whole stream on the gateway).
      await page.waitForTimeout(1500);
      (other ? compareReads : reads).push(await page.evaluate<number>(RUN_READS));
    }
    writeFileSync(path.join(consoleDir, 'index.html'), ownIndex);
    const open = summarise(opens);
    const compared = compareOpens.length > 0 ? summarise(compareOpens) : undefined;
    const figures: Record<string, number> = {
      ...machineFigures(),
      runs: RUNS,
      seedSeconds,
      ...(list
        ? {
            firstRowsMs: list.firstRowsMs,
            allPagesLoadedMs: list.allLoadedMs,
            scrollFrames: list.scroll.frames.length,
            scrollTotalMs: list.scroll.totalMs,
            frameP50Ms: list.frames.p50Ms,
            frameP99Ms: list.frames.p99Ms,
            frameMaxMs: list.frames.maxMs,
            framesOver50Ms: list.over50,
            maxRowsInPage: list.scroll.maxRows,
          }
        : {}),
      mapItems: ITEMS,
      mapRunOpenP50Ms: open.p50Ms,
      mapRunOpenMaxMs: open.maxMs,
      mapRunOpens: opens.length,
      mapRunReadsPerOpenMax: Math.max(...reads),
      ...(compared ? { compareMapRunOpenP50Ms: compared.p50Ms, compareMapRunOpenMaxMs: compared.maxMs } : {}),
    };
    const machine = await describeMachine(connectionString);
    const report = [
      `# Console benchmark — ${startedAt.toISOString()}`,
      '',
      'Command: `bench/console/run.sh`. The gateway, scheduler, executor and projector as processes on the real',
      "stack; the console in Debian's Chromium (headless, playwright-core), signed in with an admin key.",
      '',
      '## Machine',
      '',
      ...machine,
      '',
      ...(list
        ? [
            '## The run list',
            '',
            `${RUNS} one-step runs (a 1 s \`wait\`; StartRun on \`spark.commands\`, in sends of 500), listed by the console filtered by`,
            'their workflow (pages of 100 from `GET /api/v1/runs`, loaded as the list is scrolled); then scrolled from',
            'top to bottom by 600 px a frame (requestAnimationFrame) with every page loaded.',
            '',
            '| runs | seeded and projected (s) | first rows (ms) | all pages loaded (ms) | frames | frame p50 (ms) | frame p99 (ms) | frame max (ms) | frames > 50 ms | most rows in the page |',
            '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
            `| ${RUNS} | ${seedSeconds.toFixed(1)} | ${list.firstRowsMs.toFixed(0)} | ${list.allLoadedMs.toFixed(0)} | ${list.scroll.frames.length} | ${list.frames.p50Ms.toFixed(1)} | ${list.frames.p99Ms.toFixed(1)} | ${list.frames.maxMs.toFixed(1)} | ${list.over50} | ${list.scroll.maxRows} |`,
            '',
          ]
        : ['(The run list was not measured: BENCH_CONSOLE_RUNS=0.)', '']),
      '## A run with a map',
      '',
      `One run whose \`map\` step has ${ITEMS} items (noop tasks), opened ${OPENS} times${COMPARE_DIR ? ' by each build, alternately' : ''}: from navigation until the graph`,
      `shows "${ITEMS}/${ITEMS} items" and the attempt list has rows (run, definition and its SSE events read).`,
      '',
      'Reads of the run: `GET /api/v1/runs/{id}` requests within 1.5 s after the open, per open (each one',
      "re-reads the run's whole stream on the gateway).",
      '',
      '| console | items | opens | open p50 (ms) | open max (ms) | reads of the run per open |',
      '| --- | ---: | ---: | ---: | ---: | --- |',
      `| this build | ${ITEMS} | ${opens.length} | ${open.p50Ms.toFixed(0)} | ${open.maxMs.toFixed(0)} | ${reads.join(', ')} |`,
      ...(compared
        ? [
            `| \`${COMPARE_DIR}\` | ${ITEMS} | ${compareOpens.length} | ${compared.p50Ms.toFixed(0)} | ${compared.maxMs.toFixed(0)} | ${compareReads.join(', ')} |`,
          ]
        : []),
      '',
      ...(profile.length > 0
        ? [
            "This build's last open's CPU profile (the page's main thread, sampled every 0.2 ms), top self time:",
            '',
            '| self (ms) | function (script:line) |',
            '| ---: | --- |',
            ...profile,
            '',
            'Its requests (resource timing, from navigation; the SSE stream ends when the run is read to its end):',
            '',
            '| request | start (ms) | duration (ms) |',
            '| --- | ---: | ---: |',
            ...requests.map(
              (request) =>
                `| \`${request.name}\` | ${request.startMs.toFixed(0)} | ${request.durationMs.toFixed(0)} |`,
            ),
            '',
          ]
        : []),
    ].join('\n');
    const written = writeReport(REPORT_NAME, startedAt, report, figures);
    console.log(report);
    console.log(`report: ${written.markdown}`);
    await context.close();
  } finally {
    await browser.close();
    await stack.stop();
  }
}

async function measureList(page: Page, url: string) {
  const listStart = performance.now();
  await page.goto(url);
  await page.locator('[data-run]').first().waitFor();
  const firstRowsMs = performance.now() - listStart;
  const loadStart = performance.now();
  for (;;) {
    const shown = await page.evaluate<number>(SCROLL_TO_END);
    if (shown >= RUNS) break;
    if (performance.now() - loadStart > 300_000) throw new Error(`only ${shown} runs listed`);
    await page.waitForTimeout(50);
  }
  const allLoadedMs = performance.now() - loadStart;
  const scroll = await page.evaluate<{ frames: number[]; maxRows: number; totalMs: number }>(MEASURED_SCROLL);
  return {
    firstRowsMs,
    allLoadedMs,
    scroll,
    frames: summarise(scroll.frames),
    over50: scroll.frames.filter((ms) => ms > 50).length,
  };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** The profile's functions by self time (ms), the top 12 as table rows. */
function topSelfTime(profile: CpuProfile): string[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const frame = byNode.get(samples[i]!)?.callFrame;
    if (!frame) continue;
    const script = frame.url.split('/').pop() || '(native)';
    const name = `${frame.functionName || '(anonymous)'} (${script}:${frame.lineNumber + 1})`;
    self.set(name, (self.get(name) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([name, ms]) => `| ${ms.toFixed(1)} | \`${name.replace(/\|/g, '\\|')}\` |`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
