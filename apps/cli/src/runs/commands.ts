import {
  FINAL_RUN_STATUSES,
  type Run,
  type RunSummary,
  SparkApiError,
  unwrap,
  watchRunEvents,
} from '@spark/client';
import { Command, Option } from 'commander';
import { type Cli, CliError, collectLabel, ExitCode, isoInstant, parseJsonOption, positiveInt } from '../cli';
import { duration } from '../output';
import { addBulkCommands } from './bulk';
import { isBookkeeping, timelineLine } from './timeline';

const STATUSES = ['RUNNING', 'COMPENSATING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'] as const;
const seconds = (value: string) => positiveInt(value, '--timeout');
/** How long `watch` waits for a run that is accepted but not started yet (see watchRun). */
const NOT_STARTED_YET_GRACE_MS = 5_000;

const verboseOption = () => new Option('-v, --verbose', 'also show timer events in the timeline');
const timeoutOption = () =>
  new Option('--timeout <seconds>', 'stop watching after this long (exit 1)').argParser(seconds).default(600);

export function runsCommand(cli: Cli): Command {
  const runs = new Command('runs').description(
    'Start, watch, inspect, cancel, retry and signal workflow runs',
  );

  runs
    .command('start')
    .description('Start a run of a workflow (the latest version unless --version)')
    .argument('<workflow>', 'workflow name')
    .option('--input <json>', 'run input: JSON, @file.json, or @- for stdin', (value) =>
      parseJsonOption(value, '--input'),
    )
    .option('--version <n>', 'workflow version', (value) => positiveInt(value, '--version'))
    .option('--idempotency-key <key>', 'starting again with the same key returns the same run')
    .option('--label <key=value>', 'a label to find the run by (repeatable)', collectLabel)
    .option('-w, --watch', 'follow the run to its end; exit 10 unless it completes')
    .addOption(timeoutOption())
    .addOption(verboseOption())
    .action(
      async (
        workflow: string,
        options: {
          input?: unknown;
          version?: number;
          idempotencyKey?: string;
          label?: Record<string, string>;
          watch?: boolean;
          timeout: number;
          verbose?: boolean;
        },
      ) => {
        const accepted = await unwrap(
          cli.api().POST('/api/v1/runs', {
            body: {
              workflow,
              ...(options.input !== undefined ? { input: options.input } : {}),
              ...(options.version ? { version: options.version } : {}),
              ...(options.label ? { labels: options.label } : {}),
            },
            params: { header: options.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {} },
          }),
        );
        if (!options.watch) {
          cli.print(accepted, {
            kind: 'fields',
            fields: [
              ['run', accepted.runId],
              ['workflow', `${accepted.workflow.name} v${accepted.workflow.version}`],
              ['status', accepted.status],
            ],
          });
          return;
        }
        if (cli.format === 'table')
          cli.io.out(`run ${accepted.runId} of ${accepted.workflow.name} v${accepted.workflow.version}\n`);
        await watch(cli, accepted.runId, options.timeout, { verbose: options.verbose });
      },
    );

  runs
    .command('get')
    .description('A run with its steps and attempts')
    .argument('<runId>')
    .action(async (runId: string) => {
      const run = await getRun(cli, runId);
      if (cli.format !== 'table') return cli.print(run, { kind: 'text', text: '' });
      cli.print(run, { kind: 'fields', fields: runFields(run) });
      cli.io.out('\n');
      cli.print(run, {
        kind: 'rows',
        rows: run.steps,
        columns: [
          { header: 'STEP', value: (step) => step.stepId },
          { header: 'STATUS', value: (step) => step.status },
          { header: 'ATTEMPTS', value: (step) => step.attempts.length },
          {
            header: 'DETAIL',
            value: (step) =>
              step.error
                ? `${step.error.code}: ${step.error.message}`
                : step.awaitingSignal
                  ? `waiting for signal "${step.awaitingSignal}"`
                  : (step.skipReason ?? (step.output !== undefined ? clip(JSON.stringify(step.output)) : '')),
          },
        ],
      });
    });

  runs
    .command('list')
    .alias('ls')
    .description('Runs, newest first, with filters and cursor paging')
    .option('--workflow <name>', 'only runs of this workflow')
    .addOption(new Option('--status <status>', 'only runs in this status').choices(STATUSES))
    .option('--label <key=value|key>', 'only runs with this label (and value)')
    .option('--since <instant>', 'created at or after (ISO-8601)', (value) => isoInstant(value, '--since'))
    .option('--until <instant>', 'created before (ISO-8601)', (value) => isoInstant(value, '--until'))
    .option('--idempotency-key <key>', 'only the run(s) started with this idempotency key')
    .option('--limit <n>', 'page size', (value) => positiveInt(value, '--limit'), 20)
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .option('--all', 'every page')
    .action(
      async (options: {
        workflow?: string;
        status?: (typeof STATUSES)[number];
        label?: string;
        since?: string;
        until?: string;
        idempotencyKey?: string;
        limit: number;
        cursor?: string;
        all?: boolean;
      }) => {
        const items: RunSummary[] = [];
        let cursor = options.cursor;
        for (;;) {
          const page = await unwrap(
            cli.api().GET('/api/v1/runs', {
              params: {
                query: {
                  limit: options.limit,
                  ...(options.workflow ? { workflow: options.workflow } : {}),
                  ...(options.status ? { status: options.status } : {}),
                  ...(options.label ? { label: options.label } : {}),
                  ...(options.since ? { createdFrom: options.since } : {}),
                  ...(options.until ? { createdTo: options.until } : {}),
                  ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
                  ...(cursor ? { cursor } : {}),
                },
              },
            }),
          );
          items.push(...page.items);
          cursor = page.nextCursor;
          if (!options.all || !cursor) break;
        }
        cli.print(
          { items, ...(cursor ? { nextCursor: cursor } : {}) },
          {
            kind: 'rows',
            rows: items,
            empty: 'no runs',
            columns: [
              { header: 'RUN', value: (run) => run.runId },
              { header: 'WORKFLOW', value: (run) => `${run.workflow.name} v${run.workflow.version}` },
              { header: 'STATUS', value: (run) => run.status },
              { header: 'CREATED', value: (run) => run.createdAt },
              {
                header: 'DURATION',
                value: (run) => duration(run.startedAt ?? run.createdAt, run.finishedAt),
              },
              {
                header: 'LABELS',
                value: (run) =>
                  Object.entries(run.labels)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(','),
              },
            ],
          },
        );
        if (cursor && cli.format === 'table') cli.note(`more: --cursor ${cursor}`);
      },
    );

  runs
    .command('watch')
    .description('Follow a run live: its timeline, then its outcome; exit 10 unless it completes')
    .argument('<runId>')
    .addOption(timeoutOption())
    .addOption(verboseOption())
    .action(async (runId: string, options: { timeout: number; verbose?: boolean }) => {
      await watch(cli, runId, options.timeout, { verbose: options.verbose });
    });

  runs
    .command('events')
    .description(
      'The raw events of a run (stored, then live until the run ends); JSON lines with --output json',
    )
    .argument('<runId>')
    .option('--after <revision>', 'only events after this stream revision')
    .addOption(timeoutOption())
    .action(async (runId: string, options: { after?: string; timeout: number }) => {
      const format = cli.format;
      for await (const event of watchRunEvents(cli.api(), runId, {
        ...(options.after ? { afterRevision: options.after } : {}),
        signal: AbortSignal.timeout(options.timeout * 1000),
      })) {
        if (format === 'json') cli.io.out(JSON.stringify(event) + '\n');
        else if (format === 'yaml') cli.print([event], { kind: 'text', text: '' });
        else
          cli.io.out(
            `${event.revision.padStart(4)}  ${event.recordedAt}  ${event.type.padEnd(22)} ${JSON.stringify(event.data)}\n`,
          );
      }
    });

  runs
    .command('cancel')
    .description('Cancel a run (its running tasks are aborted)')
    .argument('<runId>')
    .option('--reason <text>', 'why (at most 500 characters), shown in the run')
    .action(async (runId: string, options: { reason?: string }) => {
      await unwrap(
        cli.api().POST('/api/v1/runs/{runId}/cancel', {
          params: { path: { runId } },
          body: options.reason ? { reason: options.reason } : {},
        }),
      );
      cli.print({ runId, requested: 'cancel' }, { kind: 'text', text: `cancel requested for run ${runId}` });
    });

  runs
    .command('retry')
    .description('Retry a failed run from its failed step (completed steps keep their outputs)')
    .argument('<runId>')
    .option('--reason <text>', 'why (at most 500 characters), shown in the run')
    .option('-w, --watch', 'follow the run to its end; exit 10 unless it completes')
    .addOption(timeoutOption())
    .action(async (runId: string, options: { reason?: string; watch?: boolean; timeout: number }) => {
      const before = await getRun(cli, runId);
      await unwrap(
        cli.api().POST('/api/v1/runs/{runId}/retry', {
          params: { path: { runId } },
          body: options.reason ? { reason: options.reason } : {},
        }),
      );
      if (!options.watch)
        return cli.print(
          { runId, requested: 'retry' },
          { kind: 'text', text: `retry requested for run ${runId}` },
        );
      await watch(cli, runId, options.timeout, {
        afterRevision: before.revision,
        minAttempt: (before.runAttempt ?? 1) + 1,
      });
    });

  runs
    .command('signal')
    .description('Deliver a named signal to a run (a signal step waiting for it continues)')
    .argument('<runId>')
    .argument('<name>', 'signal name')
    .option('--payload <json>', 'data for the signal step: JSON, @file.json or @-', (value) =>
      parseJsonOption(value, '--payload'),
    )
    .option('--signal-id <id>', 'deduplicates repeated deliveries of one signal')
    .option('--reason <text>', 'why (at most 500 characters), shown in the run')
    .action(
      async (
        runId: string,
        name: string,
        options: { payload?: unknown; signalId?: string; reason?: string },
      ) => {
        await unwrap(
          cli.api().POST('/api/v1/runs/{runId}/signals', {
            params: { path: { runId } },
            body: {
              name,
              ...(options.payload !== undefined ? { payload: options.payload } : {}),
              ...(options.signalId ? { signalId: options.signalId } : {}),
              ...(options.reason ? { reason: options.reason } : {}),
            },
          }),
        );
        cli.print({ runId, signal: name }, { kind: 'text', text: `signal "${name}" sent to run ${runId}` });
      },
    );

  addBulkCommands(cli, runs);
  return runs;
}

/** Step outputs in a table, cut to a line; `-o json` shows them whole. */
const clip = (text: string, max = 72): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

async function getRun(cli: Cli, runId: string): Promise<Run> {
  return unwrap(cli.api().GET('/api/v1/runs/{runId}', { params: { path: { runId } } }));
}

function runFields(run: Run): [string, unknown][] {
  return [
    ['run', run.runId],
    ['workflow', `${run.workflow.name}${run.workflow.version ? ` v${run.workflow.version}` : ''}`],
    ['status', run.status],
    ['attempt', run.runAttempt],
    [
      'labels',
      run.labels && Object.keys(run.labels).length
        ? Object.entries(run.labels)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')
        : undefined,
    ],
    ['idempotency key', run.idempotencyKey],
    ['accepted', run.acceptedAt],
    ['started', run.startedAt],
    ['finished', run.finishedAt],
    ['duration', run.finishedAt ? duration(run.startedAt ?? run.acceptedAt, run.finishedAt) : undefined],
    ['failed step', run.failedStep],
    ['error', run.error ? `${run.error.code}: ${run.error.message}` : undefined],
    ['input', run.input],
    ['output', run.output],
    ...(run.actions ?? []).map((action): [string, unknown] => [
      action.action.toLowerCase(),
      [
        action.at,
        action.signal ? `"${action.signal}"` : action.runAttempt ? `attempt ${action.runAttempt}` : '',
        action.reason ? `reason: ${action.reason}` : '',
      ]
        .filter(Boolean)
        .join('  '),
    ]),
  ];
}

/**
 * Follows a run over SSE: the timeline as it happens (table output), then the run as the API has it.
 * Reconnects from the last revision seen when the stream ends before the run does (a dropped
 * connection, or a retried run whose resume is not in its stream yet). Sets exit code 10 when the run
 * ends other than COMPLETED.
 */
export async function watch(
  cli: Cli,
  runId: string,
  timeoutSeconds: number,
  {
    afterRevision,
    verbose,
    minAttempt,
  }: {
    afterRevision?: string | undefined;
    verbose?: boolean | undefined;
    minAttempt?: number | undefined;
  } = {},
): Promise<Run> {
  const format = cli.format;
  const signal = AbortSignal.timeout(timeoutSeconds * 1000);
  const began = Date.now();
  let first: number | undefined;
  let last = afterRevision;
  let run: Run;
  for (;;) {
    try {
      for await (const event of watchRunEvents(cli.api(), runId, {
        ...(last ? { afterRevision: last } : {}),
        signal,
      })) {
        last = event.revision;
        first ??= Date.parse(event.recordedAt);
        if (format === 'table' && (verbose || !isBookkeeping(event)))
          cli.io.out(timelineLine(event, first) + '\n');
      }
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      const notThereYet = error instanceof SparkApiError && error.status === 404;
      // An answer of the gateway (401...) is final; a broken stream is followed again.
      if (!timedOut && !notThereYet && error instanceof SparkApiError && error.status > 0) throw error;
    }
    try {
      run = await getRun(cli, runId);
    } catch (error) {
      // A run started by a schedule, trigger or bulk action is accepted before its stream exists:
      // "not found" is waited out for a few seconds.
      const notThereYet = error instanceof SparkApiError && error.status === 404;
      if (!notThereYet || Date.now() - began >= NOT_STARTED_YET_GRACE_MS || signal.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    const finished = FINAL_RUN_STATUSES.includes(run.status) && (run.runAttempt ?? 1) >= (minAttempt ?? 0);
    if (finished) break;
    if (signal.aborted)
      throw new CliError(
        `run ${runId} is still ${run.status} after ${timeoutSeconds} s`,
        ExitCode.failure,
        `follow it with \`spark runs watch ${runId}\``,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (format === 'table') {
    cli.io.out(
      `outcome: ${run.status}${run.finishedAt ? ` in ${duration(run.startedAt ?? run.acceptedAt, run.finishedAt)}` : ''}\n`,
    );
    if (run.output !== undefined) cli.io.out(`output: ${JSON.stringify(run.output)}\n`);
    if (run.error)
      cli.io.out(
        `error: ${run.failedStep ? `${run.failedStep}: ` : ''}${run.error.code}: ${run.error.message}\n`,
      );
  } else cli.print(run, { kind: 'text', text: '' });
  if (run.status !== 'COMPLETED') process.exitCode = ExitCode.runNotCompleted;
  return run;
}
