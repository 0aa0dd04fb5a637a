/**
 * Console benchmark: in Debian's Chromium (playwright-core), how a list of 10,000 runs scrolls (frame
 * times while scrolling it top to bottom, rows in the page) and how long a run with a 500-item map
 * takes to open (navigation until its graph shows 500/500 items and its attempts are listed).
 * Not asserted anywhere. Run with bench/console/run.sh.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { unwrap } from '@spark/client';
import { Topics, type StartRunCommand } from '@spark/contracts';
import { launchChromium } from '@spark/testing';
import { describeMachine } from '../shared/machine';
import { machineFigures, writeReport } from '../shared/report';
import { summarise } from '../shared/stats';
import { countRuns, eventually, runOf, startConsoleStack } from './stack';

const RUNS = Number(
  process.env.BENCH_CONSOLE_RUNS ?? Math.round(10_000 * Number(process.env.BENCH_SCALE ?? '1')),
);
const ITEMS = Number(process.env.BENCH_CONSOLE_MAP_ITEMS ?? '500');
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
    const listStart = performance.now();
    await page.goto(`${stack.baseUrl}/console/runs?workflow=${many}`);
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
    const scroll = await page.evaluate<{ frames: number[]; maxRows: number; totalMs: number }>(
      MEASURED_SCROLL,
    );
    const frames = summarise(scroll.frames);
    const over50 = scroll.frames.filter((ms) => ms > 50).length;

    // The map run: navigation until the graph shows every item done and the attempts are listed.
    const opens: number[] = [];
    for (let i = 0; i < 3; i++) {
      const openStart = performance.now();
      await page.goto(`${stack.baseUrl}/console/runs/${mapRunId}`);
      await page
        .locator(`[data-step="items"]`)
        .filter({ hasText: `${ITEMS}/${ITEMS} items` })
        .waitFor();
      await page.locator('[data-attempt]').first().waitFor();
      opens.push(performance.now() - openStart);
    }
    const open = summarise(opens);

    const figures = {
      ...machineFigures(),
      runs: RUNS,
      seedSeconds,
      firstRowsMs,
      allPagesLoadedMs: allLoadedMs,
      scrollFrames: scroll.frames.length,
      scrollTotalMs: scroll.totalMs,
      frameP50Ms: frames.p50Ms,
      frameP99Ms: frames.p99Ms,
      frameMaxMs: frames.maxMs,
      framesOver50Ms: over50,
      maxRowsInPage: scroll.maxRows,
      mapItems: ITEMS,
      mapRunOpenP50Ms: open.p50Ms,
      mapRunOpenMaxMs: open.maxMs,
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
      '## The run list',
      '',
      `${RUNS} one-step runs (a 1 s \`wait\`; StartRun on \`spark.commands\`, in sends of 500), listed by the console filtered by`,
      'their workflow (pages of 100 from `GET /api/v1/runs`, loaded as the list is scrolled); then scrolled from',
      'top to bottom by 600 px a frame (requestAnimationFrame) with every page loaded.',
      '',
      '| runs | seeded and projected (s) | first rows (ms) | all pages loaded (ms) | frames | frame p50 (ms) | frame p99 (ms) | frame max (ms) | frames > 50 ms | most rows in the page |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${RUNS} | ${seedSeconds.toFixed(1)} | ${firstRowsMs.toFixed(0)} | ${allLoadedMs.toFixed(0)} | ${scroll.frames.length} | ${frames.p50Ms.toFixed(1)} | ${frames.p99Ms.toFixed(1)} | ${frames.maxMs.toFixed(1)} | ${over50} | ${scroll.maxRows} |`,
      '',
      '## A run with a map',
      '',
      `One run whose \`map\` step has ${ITEMS} items (noop tasks), opened three times: from navigation until the graph`,
      `shows "${ITEMS}/${ITEMS} items" and the attempt list has rows (run, definition and its SSE events read).`,
      '',
      '| items | open p50 (ms) | open max (ms) |',
      '| ---: | ---: | ---: |',
      `| ${ITEMS} | ${open.p50Ms.toFixed(0)} | ${open.maxMs.toFixed(0)} |`,
      '',
    ].join('\n');
    const written = writeReport('console', startedAt, report, figures);
    console.log(report);
    console.log(`report: ${written.markdown}`);
    await context.close();
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
