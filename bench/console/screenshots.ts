/**
 * Screenshots of every console screen into docs/console/ (shown in the README): the four services on
 * the real stack with a few workflows, runs in every state and two schedules, photographed in Chromium.
 * Run with tools/console-screenshots.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { unwrap } from '@spark/client';
import { json, launchChromium, RecordingHttpServer, WORKSPACE_ROOT } from '@spark/testing';
import { type Page } from 'playwright-core';
import { eventually, runOf, startConsoleStack } from './stack';

const OUT = path.join(WORKSPACE_ROOT, 'docs/console');

async function main() {
  mkdirSync(OUT, { recursive: true });
  let charges = 0;
  const shop = new RecordingHttpServer((request, response) => {
    if (request.path === '/charge' && request.body.includes('"declined"'))
      return json(response, 402, { error: 'card declined' });
    if (request.path === '/charge' && charges++ % 2 === 0) return json(response, 503, { error: 'try again' });
    json(response, 200, { ok: true });
  });
  await shop.start();
  const stack = await startConsoleStack();
  const browser = await launchChromium();
  try {
    const { admin } = stack;
    await unwrap(
      admin.POST('/api/v1/workflows', {
        body: {
          name: 'order-fulfilment',
          version: 1,
          description: 'Price an order, charge and reserve stock in parallel, then confirm.',
          inputSchema: {
            type: 'object',
            required: ['orderId', 'card'],
            properties: {
              orderId: { type: 'string' },
              card: { type: 'string', enum: ['ok', 'declined'] },
              express: { type: 'boolean' },
            },
          },
          steps: [
            { id: 'price', type: 'task', handler: 'transform', config: { expression: '42' } },
            {
              id: 'charge',
              type: 'task',
              needs: ['price'],
              handler: 'http',
              config: {
                method: 'POST',
                url: `${shop.url}/charge`,
                body: { orderId: '=input.orderId', card: '=input.card' },
              },
              retry: {
                maxAttempts: 3,
                backoff: 'fixed',
                initialInterval: '200ms',
              },
            },
            {
              id: 'reserve',
              type: 'task',
              needs: ['price'],
              handler: 'http',
              config: { method: 'POST', url: `${shop.url}/reserve` },
            },
            {
              id: 'confirm',
              type: 'task',
              needs: ['charge', 'reserve'],
              handler: 'transform',
              config: { expression: '"confirmed"' },
            },
          ],
          output: 'steps.confirm.output',
        },
      }),
    );
    await unwrap(
      admin.POST('/api/v1/workflows', {
        body: {
          name: 'approve-refund',
          version: 1,
          steps: [
            { id: 'approval', type: 'signal', signal: { name: 'approve', timeout: '1h' } },
            { id: 'refund', type: 'task', needs: ['approval'], handler: 'noop' },
          ],
        },
      }),
    );
    await unwrap(
      admin.POST('/api/v1/workflows', {
        body: {
          name: 'resize-images',
          version: 1,
          steps: [
            { id: 'list', type: 'task', handler: 'transform', config: { expression: '[1..40]' } },
            {
              id: 'resize',
              type: 'map',
              needs: ['list'],
              items: 'steps.list.output',
              concurrency: 8,
              task: { handler: 'noop' },
            },
          ],
        },
      }),
    );
    const start = async (workflow: string, input: unknown, labels: Record<string, string>) =>
      (await unwrap(admin.POST('/api/v1/runs', { body: { workflow, input, labels } }))).runId;
    const done = (runId: string, status: string) =>
      eventually(
        () => runOf(admin, runId),
        (run) => run.status === status,
        `${runId} ${status}`,
      );
    const ok = await start(
      'order-fulfilment',
      { orderId: 'A-1001', card: 'ok' },
      { team: 'shop', env: 'prod' },
    );
    const failed = await start(
      'order-fulfilment',
      { orderId: 'A-1002', card: 'declined' },
      { team: 'shop', env: 'prod' },
    );
    const map = await start('resize-images', {}, { team: 'media' });
    const waiting = await start('approve-refund', {}, { team: 'support' });
    const cancelled = await start('approve-refund', {}, { team: 'support' });
    await Promise.all([
      done(ok, 'COMPLETED'),
      done(failed, 'FAILED'),
      done(map, 'COMPLETED'),
      done(waiting, 'RUNNING'),
      done(cancelled, 'RUNNING'),
    ]);
    await unwrap(
      admin.POST('/api/v1/runs/{runId}/cancel', {
        params: { path: { runId: cancelled } },
        body: { reason: 'duplicate of the refund request for A-1001' },
      }),
    );
    await done(cancelled, 'CANCELLED');
    for (let i = 0; i < 3; i++)
      await done(
        await start('order-fulfilment', { orderId: `B-${i}`, card: 'ok' }, { team: 'shop' }),
        'COMPLETED',
      );
    await unwrap(
      admin.POST('/api/v1/schedules', {
        body: {
          id: 'nightly-report',
          spec: { kind: 'cron', expression: '0 2 * * *', timezone: 'Europe/Berlin' },
          workflow: { name: 'resize-images' },
          paused: false,
        },
      }),
    );
    await unwrap(
      admin.POST('/api/v1/schedules', {
        body: {
          id: 'hourly-sync',
          spec: { kind: 'interval', every: '1h' },
          workflow: { name: 'approve-refund' },
          paused: true,
        },
      }),
    );
    await unwrap(
      admin.POST('/api/v1/triggers', {
        body: {
          kind: 'webhook',
          workflow: { name: 'order-fulfilment' },
          description: 'orders from the shop',
        },
      }),
    );
    // The read model lists what the projector has caught up to.
    await eventually(
      async () =>
        (await unwrap(admin.GET('/api/v1/runs', { params: { query: { limit: 50 } } }))).items.length,
      (count) => count >= 8,
      'the runs listed',
    );

    const shoot = async (
      page: Page,
      name: string,
      to: string,
      ready: string,
      act?: (page: Page) => Promise<void>,
    ) => {
      await page.goto(`${stack.baseUrl}/console${to}`);
      await page.locator(ready).first().waitFor();
      if (act) await act(page);
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: false });
      console.log(`docs/console/${name}.png`);
    };
    const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const page = await laptop.newPage();
    await shoot(page, 'sign-in', '/', 'form[aria-label="Sign in"]');
    await page.getByLabel('API key').fill(stack.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The key is kept once the gateway has accepted it: only then may the next page load.
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
    await shoot(page, 'runs', '/runs', '[data-run]');
    await shoot(page, 'run-failed', `/runs/${failed}`, '[data-step="charge"]', async (p) => {
      await p.locator('[data-attempt="charge#1"]').click();
    });
    await shoot(page, 'run-map', `/runs/${map}`, '[data-step="resize"]');
    const scrollTo = (p: Page, heading: string) =>
      p.getByRole('heading', { name: heading, exact: true }).evaluate((h) => h.scrollIntoView());
    await shoot(page, 'run-timeline', `/runs/${ok}`, '[data-timeline-row]', (p) => scrollTo(p, 'Timeline'));
    await shoot(page, 'run-map-expanded', `/runs/${map}`, '[data-timeline-row]', async (p) => {
      await p.locator('[data-step="resize"]').click();
      await p.getByRole('region', { name: 'Step resize' }).waitFor();
      await p.getByRole('button', { name: /^Expand the \d+ items of resize/ }).click();
      await p.locator('[data-timeline-item]').first().waitFor();
      await scrollTo(p, 'Graph');
    });
    await shoot(page, 'run-cancelled', `/runs/${cancelled}`, '[aria-label="Actions"] li');
    await shoot(page, 'dialog-cancel', `/runs/${waiting}`, '[data-step="approval"]', async (p) => {
      await p.getByRole('button', { name: 'Cancel', exact: true }).click();
      await p.getByRole('dialog').getByLabel('Reason').fill('the customer withdrew the refund request');
    });
    await shoot(page, 'dialog-signal', `/runs/${waiting}`, '[data-step="approval"]', async (p) => {
      await p.getByRole('button', { name: 'Send signal' }).click();
      const dialog = p.getByRole('dialog');
      await dialog.getByLabel('Payload (JSON, optional)').fill('{ "approvedBy": "ana" }');
      await dialog.getByLabel('Reason').fill('refund approved on the support call');
    });
    await shoot(page, 'dialog-retry', `/runs/${failed}`, '[data-step="charge"]', async (p) => {
      await p.getByRole('button', { name: 'Retry from failure' }).click();
      await p.getByRole('dialog').getByLabel('Reason').fill('the card was replaced; charge again');
    });
    await shoot(page, 'run-waiting', `/runs/${waiting}`, '[data-step="approval"]');
    await shoot(page, 'workflows', '/workflows/order-fulfilment', '[aria-label="Definition (YAML)"]');
    await shoot(page, 'schedules', '/schedules', '[data-schedule]', async (p) => {
      await p.locator('[data-schedule="nightly-report"]').getByRole('button', { name: 'Preview' }).click();
      await p.locator('[aria-label="Next fire times"] li').first().waitFor();
    });
    await shoot(page, 'system', '/system', '[aria-label="Services"] [data-service]');
    await shoot(page, 'schedule-backfill', '/schedules', '[data-schedule]', async (p) => {
      await p.locator('[data-schedule="nightly-report"]').getByRole('button', { name: 'Backfill' }).click();
      const dialog = p.getByRole('dialog');
      // datetime-local values, in the browser's zone (the machine's, like the console shows times).
      const local = (hoursAgo: number) => {
        const at = new Date(Date.now() - hoursAgo * 3_600_000);
        return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
      };
      await dialog.getByLabel('From').fill(local(72));
      await dialog.getByLabel('To (not in the future)').fill(local(1));
    });
    await shoot(page, 'admin', '/admin', '[aria-label="API keys"] [role="cell"]');
    const dark = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    await dark.addInitScript(
      `sessionStorage.setItem('spark.console.apiKey', ${JSON.stringify(stack.adminKey)})`,
    );
    const darkPage = await dark.newPage();
    await shoot(darkPage, 'runs-dark', '/runs', '[data-run]');
    await shoot(darkPage, 'run-failed-dark', `/runs/${failed}`, '[data-step="charge"]');
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await phone.addInitScript(
      `sessionStorage.setItem('spark.console.apiKey', ${JSON.stringify(stack.adminKey)})`,
    );
    await shoot(await phone.newPage(), 'run-phone', `/runs/${failed}`, '[data-step="charge"]');
  } finally {
    await browser.close();
    await stack.stop();
    await shop.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
