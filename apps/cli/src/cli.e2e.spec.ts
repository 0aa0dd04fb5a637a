import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { EngineHarness, freePort, json, RecordingHttpServer, WORKSPACE_ROOT } from '@spark/testing';

// The built `spark` CLI as a process against the four services (EngineHarness: free ports, schemas
// and a Kafka namespace of their own), the way a user or a script runs it: exit codes, stdout, stderr.

const execute = promisify(execFile);
const BOOTSTRAP_KEY = `e2e-cli-${randomBytes(12).toString('hex')}`;
const suffix = randomUUID().slice(0, 8);
const DOUBLER = `cli-double-${suffix}`;
const APPROVAL = `cli-approval-${suffix}`;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

describe('the spark CLI against the services', () => {
  let engine: EngineHarness;
  let dir: string;
  let baseEnv: NodeJS.ProcessEnv;
  let completedRunId = '';

  async function spark(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
    try {
      const { stdout, stderr } = await execute(
        process.execPath,
        ['-r', './tools/runtime/register-paths.js', 'dist/apps/cli/src/main.js', ...args],
        { cwd: WORKSPACE_ROOT, env: { ...baseEnv, ...env }, timeout: 90_000 },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as { code: number; stdout: string; stderr: string };
      return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
    }
  }

  const file = (name: string, text: string): string => {
    const target = path.join(dir, name);
    writeFileSync(target, text);
    return target;
  };

  const doublerYaml = (version: number, factor: number) =>
    [
      `name: ${DOUBLER}`,
      `version: ${version}`,
      'inputSchema:',
      '  type: object',
      '  required: [n]',
      'steps:',
      '  - id: prepare',
      '    type: task',
      '    handler: noop',
      '  - id: double',
      '    type: task',
      '    needs: [prepare]',
      '    handler: transform',
      `    config: { expression: "input.n * ${factor}" }`,
      '    input: { n: "=input.n" }',
      '  - id: audit',
      '    type: task',
      '    needs: [prepare]',
      '    handler: noop',
      'output: steps.double.output',
      '',
    ].join('\n');

  beforeAll(async () => {
    engine = await EngineHarness.start({
      services: ['scheduler', 'executor', 'projector', 'gateway'],
      env: {
        SPARK_GATEWAY_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
        SPARK_SECRETS_KEY: randomBytes(32).toString('hex'),
        SPARK_LOG_LEVEL: 'info',
      },
    });
    dir = mkdtempSync(path.join(tmpdir(), 'spark-cli-e2e-'));
    baseEnv = {
      PATH: process.env.PATH,
      HOME: dir,
      NODE_OPTIONS: '',
      SPARK_CONFIG: path.join(dir, 'config.yaml'),
      SPARK_API_URL: `http://127.0.0.1:${engine.ports.gateway}`,
      SPARK_API_KEY: BOOTSTRAP_KEY,
      SPARK_SCHEDULER_PORT: String(engine.ports.scheduler),
      SPARK_EXECUTOR_PORT: String(engine.ports.executor),
      SPARK_PROJECTOR_PORT: String(engine.ports.projector),
    };
  });

  afterAll(async () => {
    await engine?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints --help for every command, its version, and exit 2 on a usage error', async () => {
    const commands = [
      [],
      ['workflows'],
      ['workflows', 'apply'],
      ['workflows', 'validate'],
      ['workflows', 'graph'],
      ['runs'],
      ['runs', 'start'],
      ['runs', 'watch'],
      ['runs', 'list'],
      ['runs', 'bulk-cancel'],
      ['runs', 'bulk-retry'],
      ['schedules'],
      ['schedules', 'create'],
      ['schedules', 'backfill'],
      ['sources', 'add'],
      ['keys', 'create'],
      ['triggers', 'create'],
      ['doctor'],
      ['config', 'set-profile'],
      ['completion'],
      ['demo'],
    ];
    const results = await Promise.all(commands.map((command) => spark([...command, '--help'])));
    results.forEach((result, i) => {
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: spark ${commands[i]!.join(' ')}`.trimEnd());
    });
    expect(results[0]!.stdout).toContain('Exit codes:');
    expect(results[6]!.stdout).toMatch(/--idempotency-key/);

    const version = await spark(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    const noSubcommand = await spark(['runs']);
    expect(noSubcommand.code).toBe(2);
    expect(noSubcommand.stderr).toContain('Usage: spark runs');
    expect((await spark(['help', 'runs'])).code).toBe(0);
    const unknown = await spark(['runs', 'launch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'launch'/);
    const badFormat = await spark(['workflows', 'list', '--output', 'xml']);
    expect(badFormat.code).toBe(2);
    const badInput = await spark(['runs', 'start', DOUBLER, '--input', '{n:']);
    expect(badInput.code).toBe(2);
    expect(badInput.stderr).toContain('--input is not valid JSON');
  });

  it('applies workflows (created, then a no-op), refuses a changed version, and lists them', async () => {
    const v1 = file('doubler.yaml', doublerYaml(1, 2));
    const approval = file(
      'approval.json',
      JSON.stringify({
        name: APPROVAL,
        version: 1,
        steps: [{ id: 'approval', type: 'signal', signal: { name: 'approve', timeout: '5m' } }],
        output: 'steps.approval.output',
      }),
    );
    const first = await spark(['workflows', 'apply', v1, approval]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`${DOUBLER}\\s+1\\s+created`));
    expect(first.stdout).toMatch(new RegExp(`${APPROVAL}\\s+1\\s+created`));

    const again = await spark(['workflows', 'apply', v1, '-o', 'json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual([{ file: v1, name: DOUBLER, version: 1, status: 'unchanged' }]);

    const changed = await spark(['workflows', 'apply', file('doubler-changed.yaml', doublerYaml(1, 3))]);
    expect(changed.code).toBe(5);
    expect(changed.stderr).toContain('bump `version`');

    const v2 = await spark(['workflows', 'apply', file('doubler-v2.yaml', doublerYaml(2, 2))]);
    expect(v2.stdout).toMatch(new RegExp(`${DOUBLER}\\s+2\\s+created`));

    const list = await spark(['workflows', 'list', '-o', 'json']);
    expect(JSON.parse(list.stdout)).toContainEqual(
      expect.objectContaining({ name: DOUBLER, latestVersion: 2, versionCount: 2 }),
    );
    const versions = await spark(['workflows', 'versions', DOUBLER]);
    expect(versions.stdout).toMatch(/VERSION\s+STEPS/);
    const get = await spark(['workflows', 'get', DOUBLER, '--version', '1', '-o', 'yaml']);
    expect(get.stdout).toContain(`name: ${DOUBLER}\nversion: 1`);
    const graph = await spark(['workflows', 'graph', DOUBLER]);
    expect(graph.stdout).toContain('stage 2 (2 in parallel)');
    expect(graph.stdout).toMatch(/double \(task:transform\)\s+← prepare/);
  });

  it('validate names the JSON path and line of each problem and exits 6', async () => {
    const bad = file(
      'bad.yaml',
      [
        'name: broken',
        'version: 1',
        'steps:',
        '  - id: a',
        '    type: task',
        '    handler: noop',
        '  - id: b',
        '    type: task',
        '    handler: noop',
        '    needs: [missing]',
        '    retry: { maxAttempts: "many" }',
        '',
      ].join('\n'),
    );
    const result = await spark(['workflows', 'validate', bad]);
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/bad\.yaml:11\s+\$\.steps\[1\]\.retry\.maxAttempts: /);
    const json = await spark(['workflows', 'validate', bad, '-o', 'json']);
    expect(json.code).toBe(6);
    const [report] = JSON.parse(json.stdout);
    expect(report.valid).toBe(false);
    expect(report.errors).toContainEqual(
      expect.objectContaining({ path: '$.steps[1].retry.maxAttempts', line: 11 }),
    );
    const good = await spark(['workflows', 'validate', path.join(dir, 'doubler.yaml')]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain(`valid (${DOUBLER} v1)`);
  });

  it('runs start --watch follows a run to completion; list and get show it; the idempotency key dedupes', async () => {
    const watched = await spark([
      'runs',
      'start',
      DOUBLER,
      '--input',
      '{"n":21}',
      '--label',
      `suite=${suffix}`,
      '--idempotency-key',
      `key-${suffix}`,
      '--watch',
    ]);
    expect(watched.stderr).toBe('');
    expect(watched.code).toBe(0);
    expect(watched.stdout).toMatch(/RunStarted\s+cli-double-\w+ v2/);
    expect(watched.stdout).toContain('outcome: COMPLETED');
    expect(watched.stdout).toContain('output: 42');
    expect(watched.stdout).not.toContain('TimerScheduled');
    const runId = /run ([0-9a-f-]{36})/.exec(watched.stdout)![1]!;
    completedRunId = runId;

    // The same request with the same key is the same run; the key names that request (its labels too).
    const again = await spark(
      [
        'runs',
        'start',
        DOUBLER,
        '--input',
        '{"n":21}',
        '--label',
        `suite=${suffix}`,
        '--idempotency-key',
        `key-${suffix}`,
        '-o',
        'json',
      ],
      {},
    );
    expect(JSON.parse(again.stdout).runId).toBe(runId);

    const get = await spark(['runs', 'get', runId, '-o', 'json']);
    expect(JSON.parse(get.stdout)).toMatchObject({ runId, status: 'COMPLETED', output: 42 });

    // The list comes from the read model (the projector): wait for it to catch up.
    let items: { runId: string; status: string; labels: Record<string, string> }[] = [];
    for (let tries = 0; tries < 40; tries++) {
      const list = await spark(['runs', 'list', '--label', `suite=${suffix}`, '--output', 'json']);
      expect(list.code).toBe(0);
      items = JSON.parse(list.stdout).items;
      if (items.some((item) => item.status === 'COMPLETED')) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(items).toEqual([
      expect.objectContaining({ runId, status: 'COMPLETED', labels: { suite: suffix } }),
    ]);
    const table = await spark(['runs', 'list', '--workflow', DOUBLER]);
    expect(table.stdout).toMatch(new RegExp(`${runId}\\s+${DOUBLER} v2\\s+COMPLETED`));
  });

  it('cancels a waiting run: watch then exits 10 with the outcome; cancelling a completed run is a conflict', async () => {
    const started = await spark(['runs', 'start', APPROVAL, '-o', 'json']);
    expect(started.code).toBe(0);
    const { runId } = JSON.parse(started.stdout);
    const cancel = await spark(['runs', 'cancel', runId, '--reason', 'not needed']);
    expect(cancel).toMatchObject({ code: 0, stdout: `cancel requested for run ${runId}\n` });
    const watched = await spark(['runs', 'watch', runId, '--timeout', '60']);
    expect(watched.code).toBe(10);
    expect(watched.stdout).toMatch(/RunCancelled\s+not needed/);
    expect(watched.stdout).toContain('outcome: CANCELLED');
    const events = await spark(['runs', 'events', runId, '-o', 'json']);
    const types = events.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).type);
    expect(types[0]).toBe('RunStarted');
    expect(types.at(-1)).toBe('RunCancelled');
    const completed = await spark(['runs', 'cancel', completedRunId]);
    expect(completed.code).toBe(5);
    expect(completed.stderr).toMatch(/^spark: HTTP 409/);
  });

  it('bulk-cancels the runs a filter matches, bulk-retry skips runs that did not fail, and a bulk command names its runs', async () => {
    const batch = `cli-batch-${suffix}`;
    const runIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const started = await spark(['runs', 'start', APPROVAL, '--label', `batch=${batch}`, '-o', 'json']);
      expect(started.code).toBe(0);
      runIds.push(JSON.parse(started.stdout).runId as string);
    }
    const listed = async (): Promise<{ runId: string; status: string }[]> =>
      JSON.parse((await spark(['runs', 'list', '--label', `batch=${batch}`, '-o', 'json'])).stdout).items;
    for (let tries = 0; (await listed()).filter((run) => run.status === 'RUNNING').length < 2; tries++) {
      if (tries > 100) throw new Error('the batch never listed as running');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const nothing = await spark(['runs', 'bulk-cancel']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('--all-matching');
    const both = await spark(['runs', 'bulk-cancel', runIds[0]!, '--workflow', APPROVAL]);
    expect(both.code).toBe(2);

    const cancelled = await spark([
      'runs',
      'bulk-cancel',
      '--label',
      `batch=${batch}`,
      '--reason',
      'clean-up',
    ]);
    expect(cancelled.code).toBe(0);
    for (const runId of runIds) expect(cancelled.stdout).toMatch(new RegExp(`${runId}\\s+cancel requested`));
    expect(cancelled.stderr).toContain('2 matched, 2 cancel requested, 0 skipped');
    for (let tries = 0; (await listed()).some((run) => run.status !== 'CANCELLED'); tries++) {
      if (tries > 100) throw new Error('the batch was never cancelled');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const events = await spark(['runs', 'events', runIds[0]!, '-o', 'json']);
    expect(events.stdout).toMatch(/"RunCancelled".*clean-up/);

    const retried = await spark(['runs', 'bulk-retry', runIds[1]!, '-o', 'json']);
    expect(retried.code).toBe(0);
    expect(JSON.parse(retried.stdout)).toEqual({
      matched: 1,
      accepted: [],
      skipped: [expect.objectContaining({ runId: runIds[1], reason: 'RUN_NOT_FAILED' })],
      truncated: false,
    });
  });

  it('a watched run that fails exits 10; retried from its failure it completes', async () => {
    let calls = 0;
    const flaky = new RecordingHttpServer((_request, response) =>
      ++calls === 1 ? json(response, 500, { error: 'down' }) : json(response, 200, { ok: true }),
    );
    const url = await flaky.start();
    try {
      const name = `cli-flaky-${suffix}`;
      const definition = {
        name,
        version: 1,
        steps: [
          {
            id: 'call',
            type: 'task',
            handler: 'http',
            config: { method: 'POST', url },
            retry: { maxAttempts: 1 },
          },
        ],
        output: 'steps.call.output.body',
      };
      await spark(['workflows', 'apply', file('flaky.json', JSON.stringify(definition))]);
      const failed = await spark(['runs', 'start', name, '--watch']);
      expect(failed.code).toBe(10);
      expect(failed.stdout).toContain('outcome: FAILED');
      expect(failed.stdout).toMatch(/error: call: HTTP_500/);
      const runId = /run ([0-9a-f-]{36})/.exec(failed.stdout)![1]!;
      const retried = await spark(['runs', 'retry', runId, '--reason', 'the service is back', '--watch']);
      expect(retried.code).toBe(0);
      expect(retried.stdout).toMatch(/RunResumed\s+attempt 2: the service is back/);
      expect(retried.stdout).toContain('outcome: COMPLETED');
      expect(retried.stdout).toContain('output: {"ok":true}');
    } finally {
      await flaky.stop();
    }
  });

  it('signals a waiting run, which completes with the payload', async () => {
    const started = await spark(['runs', 'start', APPROVAL, '-o', 'json']);
    const { runId } = JSON.parse(started.stdout);
    const signal = await spark([
      'runs',
      'signal',
      runId,
      'approve',
      '--payload',
      '{"by":"ops"}',
      '--reason',
      'approved on the call',
    ]);
    expect(signal).toMatchObject({ code: 0, stdout: `signal "approve" sent to run ${runId}\n` });
    const watched = await spark(['runs', 'watch', runId]);
    expect(watched.code).toBe(0);
    expect(watched.stdout).toContain('output: {"by":"ops"}');
    const got = await spark(['runs', 'get', runId]);
    expect(got.stdout).toMatch(/signal:\s+\S+\s+"approve"\s+reason: approved on the call/);
    const tooLong = await spark(['runs', 'signal', runId, 'approve', '--reason', 'x'.repeat(501)]);
    expect(tooLong.code).toBe(6);
    expect(tooLong.stderr).toContain('reason must be at most 500 characters');
  });

  it('creates, pauses, previews, resumes, fires and deletes a schedule', async () => {
    const id = `cli-${suffix}`;
    const created = await spark([
      'schedules',
      'create',
      id,
      '--cron',
      '0 3 * * *',
      '--timezone',
      'Europe/Berlin',
      '--workflow',
      DOUBLER,
      '--input',
      '{"n":1}',
    ]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`schedule ${id} created`);
    expect(created.stdout).toContain('when: cron "0 3 * * *" Europe/Berlin');

    const paused = await spark(['schedules', 'pause', id, '--reason', 'maintenance', '-o', 'json']);
    expect(JSON.parse(paused.stdout).schedule.status).toBe('paused');
    const get = await spark(['schedules', 'get', id]);
    expect(get.stdout).toMatch(/status:\s+paused/);

    const preview = await spark(['schedules', 'preview', id, '--count', '3', '-o', 'json']);
    const { fireTimes } = JSON.parse(preview.stdout);
    expect(fireTimes).toHaveLength(3);
    // 03:00 in Berlin is 01:00 or 02:00 UTC, depending on daylight saving time.
    for (const time of fireTimes) expect(time).toMatch(/T0[12]:00:00/);

    const resumed = await spark(['schedules', 'resume', id, '-o', 'json']);
    expect(JSON.parse(resumed.stdout).schedule.status).toBe('active');

    const fired = await spark(['schedules', 'trigger', id, '-o', 'json']);
    expect(fired.code).toBe(0);
    const [fire] = JSON.parse(fired.stdout).fired;
    expect(fire).toMatchObject({ trigger: 'manual', runId: expect.any(String) });
    const run = await spark(['runs', 'watch', fire.runId, '-o', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'COMPLETED', output: 2 });

    const deleted = await spark(['schedules', 'delete', id]);
    expect(deleted).toMatchObject({ code: 0, stdout: `schedule ${id} deleted\n` });
    const gone = await spark(['schedules', 'get', id]);
    expect(gone.code).toBe(4);
    expect(gone.stderr).toContain(`schedule "${id}" does not exist`);
  });

  it('doctor reports every service and dependency healthy, then names what is down', async () => {
    const healthy = await spark(['doctor']);
    expect(healthy.stdout).toContain('everything is healthy');
    for (const component of ['gateway', 'scheduler', 'executor', 'projector', 'kafka', 'postgres', 'api key'])
      expect(healthy.stdout).toMatch(new RegExp(`ok\\s+${component}`));
    expect(healthy.code).toBe(0);

    // A stopped Kafka is the next test; PostgreSQL reported down is covered by doctor/checks.unit.spec.ts
    // (the shared stack's database cannot be stopped under the other tests). A service that does not answer:
    const noScheduler = await spark(['doctor'], { SPARK_SCHEDULER_PORT: String(await freePort()) });
    expect(noScheduler.code).toBe(11);
    expect(noScheduler.stdout).toMatch(/DOWN\s+scheduler\s+unreachable/);
    expect(noScheduler.stdout).toContain('runs are accepted but not scheduled');
  });

  it('doctor names Kafka when the broker a service uses is stopped', async () => {
    // The shared stack's Kafka cannot be stopped under the other tests: a gateway of its own runs on
    // a private broker (tools/stack in a directory and on ports of its own), which is then stopped.
    const stackEnv = {
      ...process.env,
      SPARK_STACK_DIR: mkdtempSync(path.join(tmpdir(), 'spark-cli-kafka-')),
      SPARK_KAFKA_PORT: String(await freePort()),
      SPARK_KAFKA_CONTROLLER_PORT: String(await freePort()),
    };
    const stack = (command: 'up' | 'down') =>
      execute('tools/stack', [command, 'kafka'], { cwd: WORKSPACE_ROOT, env: stackEnv, timeout: 180_000 });
    let gateway: EngineHarness | undefined;
    try {
      await stack('up');
      gateway = await EngineHarness.start({
        services: ['gateway'],
        env: {
          SPARK_KAFKA_BROKERS: `127.0.0.1:${stackEnv.SPARK_KAFKA_PORT}`,
          SPARK_GATEWAY_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
          SPARK_SECRETS_KEY: randomBytes(32).toString('hex'),
        },
      });
      const viaPrivateGateway = { SPARK_API_URL: `http://127.0.0.1:${gateway.ports.gateway}` };
      const before = await spark(['doctor'], viaPrivateGateway);
      expect(before.stdout).toMatch(/ok\s+kafka/);
      expect(before.code).toBe(0);

      await stack('down');
      const after = await spark(['doctor'], viaPrivateGateway);
      expect(after.code).toBe(11);
      expect(after.stdout).toMatch(/DOWN\s+gateway\s+not ready: kafka/);
      expect(after.stdout).toMatch(/DOWN\s+kafka\s+gateway: /);
      expect(after.stdout).toContain('Kafka is down or unreachable');
      expect(after.stdout).toMatch(/ok\s+postgres/);
    } finally {
      await gateway?.stop();
      await stack('down').catch(() => undefined);
      rmSync(stackEnv.SPARK_STACK_DIR, { recursive: true, force: true });
    }
  });

  it('says clearly when the API key is wrong or missing, or the gateway is not there', async () => {
    const wrong = await spark(['workflows', 'list'], { SPARK_API_KEY: 'not-a-key' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/^spark: HTTP 401: /);
    expect(wrong.stderr).toContain('hint: pass a valid key');
    const none = await spark(['runs', 'list'], { SPARK_API_KEY: '' });
    expect(none.code).toBe(3);
    const doctor = await spark(['doctor'], { SPARK_API_KEY: 'not-a-key' });
    expect(doctor.code).toBe(11);
    expect(doctor.stdout).toMatch(/DOWN\s+api key\s+rejected/);
    const missing = await spark(['runs', 'get', randomUUID()]);
    expect(missing.code).toBe(4);
    // `watch` waits a few seconds for a run that is not started yet, then says it is not there.
    const neverStarted = await spark(['runs', 'watch', randomUUID()]);
    expect(neverStarted.code).toBe(4);
    const nowhere = await spark(['workflows', 'list'], {
      SPARK_API_URL: `http://127.0.0.1:${await freePort()}`,
    });
    expect(nowhere.code).toBe(7);
    expect(nowhere.stderr).toContain('cannot reach the gateway');
  });

  it('keeps installations side by side in profiles; keys created by an admin work in one', async () => {
    const key = await spark(['keys', 'create', `cli-${suffix}`, '--scope', 'read,write', '-o', 'json']);
    expect(key.code).toBe(0);
    const keyFile = file('key.txt', JSON.parse(key.stdout).key + '\n');
    const env = { SPARK_API_URL: '', SPARK_API_KEY: '' };
    const here = `http://127.0.0.1:${engine.ports.gateway}`;
    await spark(['config', 'set-profile', 'here', '--url', here, '--api-key-file', keyFile], env);
    await spark(['config', 'set-profile', 'elsewhere', '--url', `http://127.0.0.1:${await freePort()}`], env);
    const profiles = await spark(['config', 'profiles', '-o', 'json'], env);
    expect(JSON.parse(profiles.stdout).map((row: { name: string }) => row.name)).toEqual([
      'here',
      'elsewhere',
    ]);

    const viaCurrent = await spark(['workflows', 'list', '-o', 'json'], env);
    expect(viaCurrent.code).toBe(0);
    const elsewhere = await spark(['--profile', 'elsewhere', 'workflows', 'list'], env);
    expect(elsewhere.code).toBe(7);
    const show = await spark(['config', 'show', '--profile', 'here'], env);
    expect(show.stdout).toMatch(/api url:\s+http:\/\/127\.0\.0\.1:\d+ \(from profile\)/);
    const unknownProfile = await spark(['--profile', 'nope', 'runs', 'list'], env);
    expect(unknownProfile.code).toBe(2);
    expect(unknownProfile.stderr).toContain('known profiles: here, elsewhere');
    // A read/write key is not an admin key.
    const notAdmin = await spark(['keys', 'list'], env);
    expect(notAdmin.code).toBe(3);
    expect(notAdmin.stderr).toContain('HTTP 403');
  });

  it('prints shell completion that bash accepts', async () => {
    const bash = await spark(['completion', 'bash']);
    expect(bash.code).toBe(0);
    const script = path.join(dir, 'spark.bash');
    writeFileSync(script, bash.stdout);
    const check = await execute('bash', [
      '-c',
      `source ${script} && complete -p spark && COMP_WORDS=(spark runs st) COMP_CWORD=2 && _spark_complete && echo "\${COMPREPLY[*]}"`,
    ]);
    expect(check.stdout).toContain('complete -F _spark_complete spark');
    expect(check.stdout.trim().split('\n').at(-1)).toBe('start');
    const fish = await spark(['completion', 'fish']);
    expect(fish.stdout).toContain("complete -c spark -n '__fish_seen_subcommand_from runs' -a watch");
  });

  it('lists the flows of a LangFlow source, imports one as a workflow and runs it', async () => {
    const key = `lf-${randomUUID()}`;
    // Shaped as LangFlow 1.x answers: the flow list (with each flow's graph in `data`), 403 on a wrong
    // key, and the run endpoint the langflow handler calls.
    const langflow = new RecordingHttpServer((request, response) => {
      if (request.headers['x-api-key'] !== key) return json(response, 403, { detail: 'Invalid API key' });
      if (request.method === 'GET' && request.path === '/api/v1/flows/')
        return json(response, 200, [
          {
            id: 'f-1',
            name: 'Support Bot',
            endpoint_name: 'support-bot',
            description: 'answers',
            data: { nodes: [] },
          },
          { id: 'f-2', name: 'Summarize text', endpoint_name: null, data: { nodes: [], edges: [] } },
        ]);
      if (request.method === 'POST' && request.path === '/api/v1/run/f-1') {
        const body = JSON.parse(request.body);
        return json(response, 200, {
          session_id: body.session_id,
          outputs: [{ outputs: [{ results: { message: { text: `echo: ${body.input_value}` } } }] }],
        });
      }
      return json(response, 404, { detail: 'Not Found' });
    });
    const url = await langflow.start();
    try {
      const source = `lf-${suffix}`;
      const added = await spark([
        'sources',
        'add',
        source,
        '--kind',
        'langflow',
        '--url',
        url,
        '--key-file',
        file('lf-key', key),
      ]);
      expect(added.code).toBe(0);
      const flows = await spark(['sources', 'flows', source]);
      expect(flows.code).toBe(0);
      expect(flows.stdout).toMatch(/f-1\s+Support Bot\s+support-bot\s+answers/);
      const flowsJson = JSON.parse((await spark(['sources', 'flows', source, '-o', 'json'])).stdout);
      expect(flowsJson).toEqual([
        { id: 'f-1', name: 'Support Bot', endpointName: 'support-bot', description: 'answers' },
        { id: 'f-2', name: 'Summarize text' },
      ]);

      const imported = await spark(['workflows', 'import-langflow', source, 'f-1']);
      expect(imported).toMatchObject({
        code: 0,
        stdout: `support-bot v1 created (runs flow f-1 of ${source})\n`,
      });
      const again = await spark(['workflows', 'import-langflow', source, 'f-1', '-o', 'json']);
      expect(JSON.parse(again.stdout)).toMatchObject({
        name: 'support-bot',
        version: 1,
        status: 'unchanged',
      });
      const named = await spark(['workflows', 'import-langflow', source, 'f-2']);
      expect(named.stdout).toMatch(/^summarize-text v1 created/);

      const run = await spark(['runs', 'start', 'support-bot', '--input', '{"message":"hello"}', '--watch']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('outcome: COMPLETED');
      expect(run.stdout).toContain('"text":"echo: hello"');

      const missing = await spark(['workflows', 'import-langflow', source, 'f-9']);
      expect(missing.code).toBe(4);
      expect(missing.stderr).toContain(`LangFlow source "${source}" has no flow "f-9"`);
      await spark(['sources', 'update', source, '--key', 'wrong']);
      const refused = await spark(['sources', 'flows', source]);
      expect(refused.code).toBe(8);
      expect(refused.stderr).toContain('refused its stored API key (HTTP 403)');
    } finally {
      await langflow.stop();
    }
  });

  it('`spark demo` runs the quick start example through the API: a retry, a parallel pair, completed', async () => {
    const demo = await spark(['demo', '--timeout', '60']);
    expect(demo.stderr).toBe('');
    expect(demo.stdout).toMatch(/workflows apply: order-fulfilment v1 (created|unchanged)/);
    expect(demo.stdout).toMatch(/StepAttemptFailed\s+charge attempt 1: HTTP_503/);
    expect(demo.stdout).toContain('outcome: COMPLETED');
    expect(demo.stdout).toContain('shop saw: /charge→503');
    expect(demo.stdout).toMatch(/"amount":16.5/);
    expect(demo.code).toBe(0);
  });
});
