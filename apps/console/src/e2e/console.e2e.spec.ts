import { randomBytes, randomUUID } from 'node:crypto';
import { createSparkClient, type Run, type SparkApi, unwrap } from '@spark/client';
import { EngineHarness, expectPage, json, launchChromium, RecordingHttpServer } from '@spark/testing';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Client as PgClient } from 'pg';

// The web console in a real browser (Debian's Chromium through playwright-core) against the four
// services as processes: what an operator does with it, click by click.

const PG_URL = process.env.SPARK_PG_URL ?? 'postgres://spark:spark@127.0.0.1:55432/spark';
const BOOTSTRAP_KEY = `e2e-console-${randomBytes(12).toString('hex')}`;
const GATEWAY_SCHEMA = `e2e_gw_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const READ_MODEL_SCHEMA = `${GATEWAY_SCHEMA}_rm`;

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the web console in a browser', () => {
  let engine: EngineHarness;
  let browser: Browser;
  let baseUrl = '';
  let admin: SparkApi;
  let writerKey = '';
  let readerKey = '';
  const shop = new RecordingHttpServer((_request, response) =>
    json(response, 500, { error: 'card declined' }),
  );
  const suffix = randomUUID().slice(0, 8);
  const orders = `orders-${suffix}`;
  const waiting = `waiting-${suffix}`;
  const scheduleId = `nightly-${suffix}`;
  let failedRunId = '';
  let completedRunId = '';

  const runOf = (runId: string): Promise<Run> =>
    unwrap(admin.GET('/api/v1/runs/{runId}', { params: { path: { runId } } }));

  async function signedIn(key: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/console/`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectPage(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
    return { context, page };
  }

  beforeAll(async () => {
    const [started, launched] = await Promise.all([
      EngineHarness.start({
        services: ['scheduler', 'executor', 'projector', 'gateway'],
        env: {
          SPARK_GATEWAY_SCHEMA: GATEWAY_SCHEMA,
          SPARK_READ_MODEL_SCHEMA: READ_MODEL_SCHEMA,
          SPARK_GATEWAY_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
          SPARK_SECRETS_KEY: randomBytes(32).toString('hex'),
        },
      }),
      launchChromium(),
      shop.start(),
    ]);
    engine = started;
    browser = launched;
    baseUrl = `http://127.0.0.1:${engine.ports.gateway}`;
    admin = createSparkClient({ baseUrl, apiKey: BOOTSTRAP_KEY });
    writerKey = (
      await unwrap(admin.POST('/api/v1/api-keys', { body: { name: 'console-writer', scopes: ['write'] } }))
    ).key;
    readerKey = (
      await unwrap(admin.POST('/api/v1/api-keys', { body: { name: 'console-reader', scopes: ['read'] } }))
    ).key;

    await unwrap(
      admin.POST('/api/v1/workflows', {
        body: {
          name: orders,
          version: 1,
          inputSchema: { type: 'object', required: ['orderId'], properties: { orderId: { type: 'string' } } },
          steps: [
            { id: 'price', type: 'task', handler: 'transform', config: { expression: '42' } },
            {
              id: 'charge',
              type: 'task',
              needs: ['price'],
              handler: 'http',
              config: { method: 'POST', url: `${shop.url}/charge`, body: { orderId: '=input.orderId' } },
              retry: { maxAttempts: 1 },
            },
            {
              id: 'confirm',
              type: 'task',
              needs: ['charge'],
              handler: 'transform',
              config: { expression: '"ok"' },
            },
          ],
          output: 'steps.confirm.output',
        },
      }),
    );
    await unwrap(
      admin.POST('/api/v1/workflows', {
        body: {
          name: waiting,
          version: 1,
          steps: [{ id: 'approval', type: 'signal', signal: { name: 'approve', timeout: '10m' } }],
        },
      }),
    );
    await unwrap(
      admin.POST('/api/v1/schedules', {
        body: {
          id: scheduleId,
          spec: { kind: 'interval', every: '1h' },
          workflow: { name: waiting },
          paused: false,
        },
      }),
    );
    failedRunId = (
      await unwrap(
        admin.POST('/api/v1/runs', {
          body: { workflow: orders, input: { orderId: 'A-1' }, labels: { team: 'shop' } },
        }),
      )
    ).runId;
    await eventually(
      () => runOf(failedRunId),
      (run) => run.status === 'FAILED',
      'the first run to fail',
    );
    shop.respondWith((_request, response) => json(response, 200, { charged: true }));
    completedRunId = (
      await unwrap(admin.POST('/api/v1/runs', { body: { workflow: orders, input: { orderId: 'B-2' } } }))
    ).runId;
    await eventually(
      () => runOf(completedRunId),
      (run) => run.status === 'COMPLETED',
      'the second run to complete',
    );
    shop.respondWith((_request, response) => json(response, 500, { error: 'card declined' }));
  });

  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
    await shop.stop();
    const client = new PgClient({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${GATEWAY_SCHEMA} CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS ${READ_MODEL_SCHEMA} CASCADE`);
    await client.end();
  });

  it('is served under /console without a key: any page path gets the app, a missing asset a 404', async () => {
    const page = await fetch(`${baseUrl}/console/runs/${failedRunId}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${baseUrl}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${baseUrl}/console/assets/nothing-here.js`)).status).toBe(404);
    // The API itself still wants a key.
    expect((await fetch(`${baseUrl}/api/v1/runs`)).status).toBe(401);
  });

  it('refuses a wrong key, signs in with a good one and keeps it in the tab only', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/console/`);
    await page.getByLabel('API key').fill('spk_not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectPage(page.getByRole('alert')).toContainText('401');
    await page.getByLabel('API key').fill(writerKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectPage(page.locator('.scope')).toHaveText('write');
    const storage = await page.evaluate(() => ({
      session: sessionStorage.getItem('spark.console.apiKey'),
      local: Object.keys(localStorage).length,
    }));
    expect(storage).toEqual({ session: writerKey, local: 0 });
    // A reload in the same tab stays signed in.
    await page.reload();
    await expectPage(page.getByRole('table', { name: 'Runs' })).toBeVisible();
    await context.close();
  });

  it('filters runs, opens the failed one, reads the error, retries it from failure and watches it complete', async () => {
    const { context, page } = await signedIn(writerKey);
    const rows = page.getByRole('table', { name: 'Runs' }).locator('[data-run]');
    await expectPage(rows).toHaveCount(2);
    await page.getByLabel('Status').selectOption('FAILED');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expectPage(rows).toHaveCount(1);
    await expectPage(rows.first()).toHaveAttribute('data-run', failedRunId);
    expect(new URL(page.url()).searchParams.get('status')).toBe('FAILED');
    await page.getByLabel('Label').fill('team=nobody');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expectPage(rows).toHaveCount(0);
    await page.getByLabel('Label').fill('team=shop');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expectPage(rows).toHaveCount(1);

    await rows.first().getByRole('link').click();
    await expectPage(page.getByRole('heading', { level: 1 })).toContainText('failed');
    await expectPage(page.locator('[data-step="charge"]')).toHaveAttribute('data-status', 'FAILED');
    await expectPage(page.locator('[data-step="price"]')).toHaveAttribute('data-status', 'SUCCEEDED');
    const failing = (await runOf(failedRunId)).steps.find((step) => step.stepId === 'charge')!.attempts[0]!;
    await page.locator('[data-attempt="charge#1"]').click();
    const detail = page.getByRole('region', { name: /Attempt 1 of charge/ });
    await expectPage(detail.getByLabel('Attempt error')).toContainText(failing.error!.message);

    shop.respondWith((_request, response) => json(response, 200, { charged: true }));
    await page.getByRole('button', { name: 'Retry from failure' }).click();
    await page.getByRole('dialog').getByLabel('Reason').fill('the card works again');
    await page.getByRole('dialog').getByRole('button', { name: 'Retry' }).click();
    // No reload: the SSE stream carries the run to its end.
    await expectPage(page.getByRole('heading', { level: 1 })).toContainText('completed', { timeout: 30_000 });
    await expectPage(page.locator('[data-step="confirm"]')).toHaveAttribute('data-status', 'SUCCEEDED');
    await expectPage(page.getByLabel('Run output')).toContainText('"ok"');
    await page.getByText(/Raw events/).click();
    await expectPage(page.getByLabel('Raw events')).toContainText('RunResumed');
    await expectPage(
      page.getByRole('list', { name: 'Actions' }).locator('[data-action="RETRY"]'),
    ).toContainText('the card works again');
    const retried = await runOf(failedRunId);
    expect(retried.status).toBe('COMPLETED');
    expect(retried.actions).toEqual([
      expect.objectContaining({ action: 'RETRY', runAttempt: 2, reason: 'the card works again' }),
    ]);
    await context.close();
  });

  it('cancels a running run with a reason', async () => {
    const { runId } = await unwrap(admin.POST('/api/v1/runs', { body: { workflow: waiting } }));
    await eventually(
      () => runOf(runId),
      (run) => run.status === 'RUNNING',
      'the waiting run to start',
    );
    const { context, page } = await signedIn(writerKey);
    await page.goto(`${baseUrl}/console/runs/${runId}`);
    await expectPage(page.getByRole('heading', { level: 1 })).toContainText('running');
    await expectPage(page.locator('[data-step="approval"]')).toContainText('awaits "approve"');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').fill('ordered by mistake');
    await dialog.getByRole('button', { name: 'Cancel run' }).click();
    await expectPage(page.getByRole('heading', { level: 1 })).toContainText('cancelled', { timeout: 20_000 });
    await expectPage(page.getByRole('button', { name: 'Cancel', exact: true })).toBeDisabled();
    await expectPage(page.getByLabel('Cancel reason')).toHaveText('ordered by mistake');
    await expectPage(
      page.getByRole('list', { name: 'Actions' }).locator('[data-action="CANCEL"]'),
    ).toContainText('ordered by mistake');
    const cancelled = (await engine.events(runId)).find((event) => event.type === 'RunCancelled');
    expect(JSON.stringify(cancelled?.data)).toContain('ordered by mistake');
    await context.close();
  });

  it('bulk-cancels every run a filter matches; the bulk endpoints refuse unclear requests', async () => {
    const batch = `batch-${suffix}`;
    const started = await Promise.all(
      [1, 2].map(
        async () =>
          (await unwrap(admin.POST('/api/v1/runs', { body: { workflow: waiting, labels: { batch } } })))
            .runId,
      ),
    );
    for (const runId of started)
      await eventually(
        () => runOf(runId),
        (run) => run.status === 'RUNNING',
        'a batch run to start',
      );
    await eventually(
      async () =>
        (await unwrap(admin.GET('/api/v1/runs', { params: { query: { label: `batch=${batch}` } } }))).items
          .length,
      (count) => count === 2,
      'the batch listed',
    );
    const { context, page } = await signedIn(writerKey);
    await expectPage(page.getByRole('button', { name: 'Cancel all matching' })).toBeDisabled();
    await page.getByLabel('Label').fill(`batch=${batch}`);
    await page.getByRole('button', { name: 'Apply' }).click();
    await expectPage(page.getByRole('table', { name: 'Runs' }).locator('[data-run]')).toHaveCount(2);
    await page.getByRole('button', { name: 'Cancel all matching' }).click();
    await page.getByRole('dialog').getByLabel('Reason').fill('bulk clean-up');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel runs' }).click();
    await expectPage(page.getByRole('status')).toContainText('Cancelling 2 of 2 runs');
    for (const runId of started)
      await eventually(
        () => runOf(runId),
        (run) => run.status === 'CANCELLED',
        'a batch run to be cancelled',
      );
    await context.close();

    // By id: a run that did not fail is skipped, with why; a reader may not; unclear requests are 400s.
    const retried = await unwrap(admin.POST('/api/v1/runs/bulk-retry', { body: { runIds: [started[0]!] } }));
    expect(retried).toEqual({
      matched: 1,
      accepted: [],
      skipped: [expect.objectContaining({ runId: started[0], reason: 'RUN_NOT_FAILED' })],
      truncated: false,
    });
    const reader = createSparkClient({ baseUrl, apiKey: readerKey });
    expect(
      (await reader.POST('/api/v1/runs/bulk-cancel', { body: { runIds: [started[0]!] } })).response.status,
    ).toBe(403);
    const neither = await admin.POST('/api/v1/runs/bulk-cancel', { body: {} });
    expect(neither.response.status).toBe(400);
    expect(JSON.stringify(neither.error)).toContain('exactly one of');
    const both = await admin.POST('/api/v1/runs/bulk-cancel', {
      body: { runIds: [started[0]!], filter: { workflow: waiting } },
    });
    expect(both.response.status).toBe(400);
    const badId = await admin.POST('/api/v1/runs/bulk-retry', { body: { runIds: ['not-a-run'] } });
    expect(badId.response.status).toBe(400);
  });

  it('pauses a schedule and shows its next fire times', async () => {
    const { context, page } = await signedIn(writerKey);
    await page.getByRole('link', { name: 'Schedules' }).click();
    const card = page.getByRole('article', { name: `Schedule ${scheduleId}` });
    await card.getByRole('button', { name: 'Preview' }).click();
    await expectPage(card.getByRole('region', { name: 'Next fire times' }).locator('li')).toHaveCount(5);
    await card.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('dialog').getByLabel('Reason').fill('maintenance');
    await page.getByRole('dialog').getByRole('button', { name: 'Pause' }).click();
    await expectPage(card.locator('.badge').first()).toHaveText('paused');
    await expectPage(card.getByRole('button', { name: 'Resume' })).toBeEnabled();
    const schedule = await unwrap(
      admin.GET('/api/v1/schedules/{scheduleId}', { params: { path: { scheduleId } } }),
    );
    expect(schedule).toMatchObject({ status: 'paused' });
    await context.close();
  });

  it('shows a reader key every action disabled, with the reason', async () => {
    const { context, page } = await signedIn(readerKey);
    await expectPage(page.locator('.scope')).toHaveText('read');
    await expectPage(page.getByRole('button', { name: 'Cancel all matching' })).toBeDisabled();
    await page.goto(`${baseUrl}/console/runs/${completedRunId}`);
    await expectPage(page.getByRole('heading', { level: 1 })).toContainText('completed');
    for (const name of ['Cancel', 'Retry from failure', 'Send signal'])
      await expectPage(page.getByRole('button', { name, exact: true })).toBeDisabled();
    await expectPage(page.getByRole('button', { name: 'Cancel', exact: true })).toHaveAttribute(
      'title',
      /Needs the "write" scope/,
    );
    await page.getByRole('link', { name: 'Schedules' }).click();
    const card = page.getByRole('article', { name: `Schedule ${scheduleId}` });
    await expectPage(card.getByRole('button', { name: 'Resume' })).toBeDisabled();
    await expectPage(card.getByRole('button', { name: 'Trigger now' })).toBeDisabled();
    await page.getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('link', { name: new RegExp(orders) }).click();
    await expectPage(page.getByLabel('Definition (YAML)')).toContainText('charge');
    await expectPage(page.getByRole('button', { name: 'Start run' })).toBeDisabled();
    await page.getByRole('link', { name: 'Admin' }).click();
    await expectPage(page.getByRole('table', { name: 'Sources' })).toBeVisible();
    await expectPage(page.locator('.admin-page')).toContainText('Needs the "admin" scope');
    expect(await page.getByRole('table', { name: 'API keys' }).count()).toBe(0);
    await context.close();
  });

  it('lets an admin create an API key (shown once, and it works) and pause and resume a trigger', async () => {
    const trigger = await unwrap(
      admin.POST('/api/v1/triggers', { body: { kind: 'webhook', workflow: { name: waiting } } }),
    );
    const { context, page } = await signedIn(BOOTSTRAP_KEY);
    await page.getByRole('link', { name: 'Admin' }).click();
    const form = page.getByRole('form', { name: 'Create an API key' });
    await form.getByLabel('Name').fill(`ops-${suffix}`);
    await form.getByLabel('Scope').selectOption('write');
    await form.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByRole('status', { name: 'New API key' });
    await expectPage(shown).toContainText(`ops-${suffix}`);
    const key = (await shown.locator('code').textContent())!;
    const keys = page.getByRole('table', { name: 'API keys' });
    await expectPage(keys.getByRole('row').filter({ hasText: `ops-${suffix}` })).toContainText('write');
    // The new key is a real one, with the scope chosen: it may start runs, not manage keys.
    const created = createSparkClient({ baseUrl, apiKey: key });
    expect((await created.GET('/api/v1/runs', { params: { query: { limit: 1 } } })).response.status).toBe(
      200,
    );
    expect((await created.GET('/api/v1/api-keys')).response.status).toBe(403);

    const row = page
      .getByRole('table', { name: 'Triggers' })
      .getByRole('row')
      .filter({ hasText: trigger.id.slice(0, 8) });
    await row.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Pause' }).click();
    await expectPage(row.getByRole('button', { name: 'Resume' })).toBeVisible();
    expect(
      (await unwrap(admin.GET('/api/v1/triggers/{id}', { params: { path: { id: trigger.id } } }))).enabled,
    ).toBe(false);
    await row.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Resume' }).click();
    await expectPage(row.getByRole('button', { name: 'Pause' })).toBeVisible();
    expect(
      (await unwrap(admin.GET('/api/v1/triggers/{id}', { params: { path: { id: trigger.id } } }))).enabled,
    ).toBe(true);
    await context.close();
  });

  it("shows a run's timeline (retries with their backoff, a map's items, a child run), links parent and child, and its compensation", async () => {
    const inner = `inner-${suffix}`;
    const tour = `tour-${suffix}`;
    await unwrap(
      admin.POST('/api/v1/workflows', {
        body: {
          name: inner,
          version: 1,
          steps: [{ id: 'hello', type: 'task', handler: 'transform', config: { expression: '"hi"' } }],
        },
      }),
    );
    await unwrap(
      admin.POST('/api/v1/workflows', {
        body: {
          name: tour,
          version: 1,
          steps: [
            { id: 'items', type: 'map', items: 'input.items', task: { handler: 'noop' } },
            {
              id: 'child',
              type: 'subworkflow',
              workflow: { name: inner },
              compensate: { handler: 'transform', config: { expression: '"undone"' } },
            },
            {
              id: 'flaky',
              type: 'task',
              needs: ['items', 'child'],
              handler: 'http',
              config: { method: 'POST', url: `${shop.url}/flaky` },
              retry: { maxAttempts: 2, backoff: 'fixed', initialInterval: '400ms' },
            },
          ],
        },
      }),
    );
    shop.respondWith((_request, response) => json(response, 500, { error: 'still down' }));
    const { runId } = await unwrap(
      admin.POST('/api/v1/runs', { body: { workflow: tour, input: { items: [1, 2, 3] } } }),
    );
    await eventually(
      () => runOf(runId),
      (run) => run.status === 'FAILED',
      'the tour run to fail',
      60_000,
    );

    const { context, page } = await signedIn(writerKey);
    await page.goto(`${baseUrl}/console/runs/${runId}`);
    await expectPage(page.getByRole('heading', { level: 1 })).toContainText('failed');
    const timeline = page.getByRole('group', { name: 'Timeline' });
    const flaky = timeline.locator('[data-timeline-row="step:flaky:"]');
    await expectPage(flaky.getByRole('img', { name: /^attempt 1 failed/ })).toHaveCount(1);
    await expectPage(flaky.getByRole('img', { name: /^attempt 2 failed/ })).toHaveCount(1);
    await expectPage(flaky.getByRole('img', { name: /^backoff 400 ms before attempt 2/ })).toHaveCount(1);
    await expectPage(flaky.getByRole('img', { name: /^retry timer fired/ })).toHaveCount(1);
    // The map's items: collapsed to one bar, expanded to a row each.
    await expectPage(timeline.locator('[data-timeline-item]')).toHaveCount(0);
    await timeline.getByRole('button', { name: 'Expand the 3 items of items' }).click();
    await expectPage(timeline.locator('[data-timeline-item]')).toHaveCount(3);
    // The saga: the child run is compensated, in its own row and in the note.
    await expectPage(page.getByRole('status', { name: 'Compensation' })).toContainText('compensated: child');
    await expectPage(timeline.locator('[data-timeline-row="compensation:child:"]')).toHaveCount(1);
    // The DAG opens the map step into its items and the subworkflow into its child run.
    await page.locator('[data-step="items"]').click();
    await expectPage(page.getByRole('img', { name: 'Items of items: 3 succeeded' })).toBeVisible();
    await page.locator('[data-step="child"]').click();
    const childLink = page.getByRole('list', { name: 'Child runs of child' }).getByRole('link');
    const childRunId = (await childLink.textContent())!.trim();
    await childLink.click();
    await expectPage(page.getByRole('heading', { level: 1 })).toContainText(inner);
    expect(new URL(page.url()).pathname).toBe(`/console/runs/${childRunId}`);
    await page.getByRole('link', { name: 'Parent run' }).click();
    await expectPage(page.getByRole('heading', { level: 1 })).toContainText(tour);
    await context.close();
  });

  it('finds a run by the idempotency key it was started with; the API refuses a key that cannot be one', async () => {
    const key = `order-${suffix}`;
    const { runId } = await unwrap(
      admin.POST('/api/v1/runs', {
        body: { workflow: waiting },
        params: { header: { 'Idempotency-Key': key } },
      }),
    );
    await eventually(
      async () =>
        (await unwrap(admin.GET('/api/v1/runs', { params: { query: { idempotencyKey: key } } }))).items,
      (items) => items.length === 1 && items[0]!.runId === runId,
      'the run listed by its key',
    );
    const { context, page } = await signedIn(writerKey);
    await page.getByLabel('Run id or idempotency key').fill(key);
    await page.getByRole('button', { name: 'Open' }).click();
    await expectPage(page.getByRole('heading', { level: 1 })).toContainText(waiting);
    expect(new URL(page.url()).pathname).toBe(`/console/runs/${runId}`);
    await page.goto(`${baseUrl}/console/runs`);
    await page.getByLabel('Run id or idempotency key').fill(`no-such-${suffix}`);
    await page.getByRole('button', { name: 'Open' }).click();
    await expectPage(page.getByRole('alert')).toContainText(
      `No run with id or idempotency key no-such-${suffix}`,
    );
    await context.close();
    const bad = await admin.GET('/api/v1/runs', { params: { query: { idempotencyKey: 'two words' } } });
    expect(bad.response.status).toBe(400);
    expect(JSON.stringify(bad.error)).toContain('idempotencyKey');
    await unwrap(admin.POST('/api/v1/runs/{runId}/cancel', { params: { path: { runId } }, body: {} }));
  });

  it('backfills a schedule over a range of past hours', async () => {
    const hourly = `hourly-${suffix}`;
    const quick = `quick-${suffix}`;
    await unwrap(
      admin.POST('/api/v1/workflows', {
        body: {
          name: quick,
          version: 1,
          steps: [{ id: 'one', type: 'task', handler: 'transform', config: { expression: '1' } }],
        },
      }),
    );
    await unwrap(
      admin.POST('/api/v1/schedules', {
        body: {
          id: hourly,
          spec: { kind: 'cron', expression: '0 * * * *', timezone: 'UTC' },
          workflow: { name: quick },
          paused: true,
        },
      }),
    );
    // datetime-local takes the browser's local time (the same time zone as this process).
    const local = (ms: number) =>
      new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    const now = Date.now();
    const { context, page } = await signedIn(writerKey);
    await page.getByRole('link', { name: 'Schedules' }).click();
    const card = page.getByRole('article', { name: `Schedule ${hourly}` });
    await card.getByRole('button', { name: 'Backfill' }).click();
    const dialog = page.getByRole('dialog');
    // A range the wrong way round is refused in the dialog, before any request.
    await dialog.getByLabel('From').fill(local(now - 60_000));
    await dialog.getByLabel('To (not in the future)').fill(local(now - 3 * 3_600_000 - 60_000));
    await dialog.getByRole('button', { name: 'Backfill' }).click();
    await expectPage(dialog.getByRole('alert')).toContainText('"From" must be before "To"');
    await dialog.getByLabel('From').fill(local(now - 3 * 3_600_000 - 60_000));
    await dialog.getByLabel('To (not in the future)').fill(local(now - 60_000));
    await dialog.getByLabel('Overlap').selectOption('ALLOW_ALL');
    await dialog.getByRole('button', { name: 'Backfill' }).click();
    await expectPage(card.getByRole('status', { name: `Outcome of ${hourly}` })).toHaveText(
      'Backfill: 3 runs started',
    );
    await eventually(
      async () =>
        (
          await unwrap(
            admin.GET('/api/v1/runs', { params: { query: { label: `spark.schedule=${hourly}` } } }),
          )
        ).items.length,
      (count) => count === 3,
      'the backfilled runs listed',
    );
    await context.close();
  });

  it('shows every service, the projection lag, consumer lag and the tasks in flight of the executor', async () => {
    const slow = `slow-${suffix}`;
    await unwrap(
      admin.POST('/api/v1/workflows', {
        body: {
          name: slow,
          version: 1,
          steps: [{ id: 'work', type: 'task', handler: 'sleep', config: { durationMs: 30_000 } }],
        },
      }),
    );
    const { runId } = await unwrap(admin.POST('/api/v1/runs', { body: { workflow: slow } }));
    await eventually(
      () => runOf(runId),
      (run) => run.steps[0]?.attempts[0]?.status === 'STARTED',
      'the sleep task to start',
    );
    const reader = createSparkClient({ baseUrl, apiKey: readerKey });
    const system = await eventually(
      () => unwrap(reader.GET('/api/v1/system')),
      (status) =>
        status.services.filter((service) => service.ready).length === 3 &&
        status.executors.some((executor) => executor.tasksInFlight > 0),
      'every service ready and the sleep task in flight',
    );
    expect(system.projection.map((lag) => lag.checkpoint)).toContain('read-model');
    expect(system.consumers.length).toBeGreaterThan(0);
    const { context, page } = await signedIn(readerKey);
    await page.getByRole('link', { name: 'System' }).click();
    const services = page.getByRole('table', { name: 'Services' });
    for (const service of ['scheduler', 'executor', 'projector'])
      await expectPage(services.locator(`[data-service="${service}"]`)).toContainText('up');
    await expectPage(
      page.getByRole('table', { name: 'Projection lag' }).locator('[data-checkpoint]').first(),
    ).toBeVisible();
    const executor = page
      .getByRole('table', { name: 'Executors' })
      .locator(`[data-executor="http://127.0.0.1:${engine.ports.executor}"]`);
    await expectPage(executor).toContainText('sleep 1');
    await expectPage(
      page.getByRole('table', { name: 'Consumer lag' }).locator('[data-group]').first(),
    ).toBeVisible();
    await context.close();
    await unwrap(admin.POST('/api/v1/runs/{runId}/cancel', { params: { path: { runId } }, body: {} }));
  });

  it('passes axe-core (WCAG 2 A and AA) on the main screens, light and dark', async () => {
    const { context, page } = await signedIn(writerKey);
    const axe = require.resolve('axe-core/axe.min.js');
    const screens = [
      ['runs', '/console/runs', page.getByRole('table', { name: 'Runs' }).locator('[data-run]').first()],
      ['run', `/console/runs/${failedRunId}`, page.getByRole('group', { name: 'Timeline' })],
      ['workflows', `/console/workflows/${orders}`, page.getByLabel('Definition (YAML)')],
      ['schedules', '/console/schedules', page.getByRole('article').first()],
      ['system', '/console/system', page.getByRole('table', { name: 'Services' })],
    ] as const;
    const found: string[] = [];
    for (const theme of ['light', 'dark']) {
      // The console keeps the chosen theme in the tab.
      await page.evaluate((chosen) => sessionStorage.setItem('spark.console.theme', chosen), theme);
      for (const [name, path, ready] of screens) {
        await page.goto(`${baseUrl}${path}`);
        await expectPage(ready).toBeVisible();
        await page.addScriptTag({ path: axe });
        const violations = await page.evaluate(async () => {
          const result = await (
            globalThis as unknown as {
              axe: {
                run: (
                  options: unknown,
                ) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
              };
            }
          ).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
          return result.violations.map(
            (v) =>
              `${v.id} (${v.impact}): ${v.nodes
                .slice(0, 3)
                .map((n) => n.target.join(' '))
                .join(', ')}`,
          );
        });
        found.push(...violations.map((violation) => `${theme} ${name}: ${violation}`));
      }
    }
    expect(found).toEqual([]);
    await context.close();
  });

  it('works from the keyboard: a graph node and an attempt open with Enter or Space, Tab walks the graph', async () => {
    const { context, page } = await signedIn(readerKey);
    await page.goto(`${baseUrl}/console/runs/${failedRunId}`);
    await page.locator('[data-step="charge"]').focus();
    await page.keyboard.press('Enter');
    await expectPage(page.getByRole('region', { name: 'Step charge' })).toBeVisible();
    await expectPage(page.getByRole('button', { name: 'of charge (show all)' })).toBeVisible();
    await page.locator('[data-attempt="charge#1"]').first().focus();
    await page.keyboard.press('Space');
    await expectPage(page.getByRole('region', { name: /Attempt 1 of charge/ })).toBeVisible();
    await page.keyboard.press('Enter');
    await expectPage(page.getByRole('region', { name: /Attempt 1 of charge/ })).toHaveCount(0);
    // Tab moves from the graph's first node to the next.
    await page.locator('[data-step="price"]').focus();
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(() =>
        (
          globalThis as unknown as {
            document: { activeElement: { getAttribute: (name: string) => string | null } };
          }
        ).document.activeElement.getAttribute('data-step'),
      ),
    ).toBe('charge');
    await context.close();
  });
});
