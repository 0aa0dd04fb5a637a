import { type components, unwrap } from '@spark/client';
import { type Command, Option } from 'commander';
import { type Cli, CliError, ExitCode, isoInstant } from '../cli';

const STATUSES = ['RUNNING', 'COMPENSATING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'] as const;

type BulkResult = components['schemas']['BulkRunsResultDto'];
type BulkFilter = components['schemas']['BulkRunFilterDto'];

interface BulkOptions {
  workflow?: string;
  status?: (typeof STATUSES)[number];
  label?: string;
  since?: string;
  until?: string;
  idempotencyKey?: string;
  allMatching?: boolean;
  reason?: string;
}

/** The filter of the options, or undefined when no filter option is given. */
export function bulkFilter(options: BulkOptions): BulkFilter | undefined {
  const filter: BulkFilter = {
    ...(options.workflow ? { workflow: options.workflow } : {}),
    ...(options.status ? { status: options.status } : {}),
    ...(options.label ? { label: options.label } : {}),
    ...(options.since ? { createdFrom: options.since } : {}),
    ...(options.until ? { createdTo: options.until } : {}),
    ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
  };
  return Object.keys(filter).length > 0 ? filter : undefined;
}

/**
 * Which runs a bulk command acts on: the ids given, or every run the filter matches. Acting on every run
 * (no id, no filter) must be asked for with --all-matching, so a forgotten filter cancels nothing.
 */
export function bulkTarget(
  runIds: string[],
  options: BulkOptions,
): { runIds: string[] } | { filter: BulkFilter } {
  const filter = bulkFilter(options);
  if (runIds.length > 0 && (filter || options.allMatching))
    throw new CliError('give run ids or filter options (or --all-matching), not both', ExitCode.usage);
  if (runIds.length > 0) return { runIds };
  if (filter) return { filter };
  if (options.allMatching) return { filter: {} };
  throw new CliError(
    'name the runs: run ids, filter options (--workflow, --status, --label, --since, --until, --idempotency-key), or --all-matching for every run',
    ExitCode.usage,
  );
}

function addFilterOptions(command: Command): Command {
  return command
    .option('--workflow <name>', 'runs of this workflow')
    .addOption(new Option('--status <status>', 'runs in this status').choices(STATUSES))
    .option('--label <key=value|key>', 'runs with this label (and value)')
    .option('--since <instant>', 'created at or after (ISO-8601)', (value) => isoInstant(value, '--since'))
    .option('--until <instant>', 'created before (ISO-8601)', (value) => isoInstant(value, '--until'))
    .option('--idempotency-key <key>', 'the run(s) started with this idempotency key')
    .option('--all-matching', 'every run (no filter): needed when neither ids nor a filter is given');
}

function printResult(cli: Cli, verb: string, result: BulkResult): void {
  cli.print(result, {
    kind: 'rows',
    rows: [
      ...result.accepted.map((runId) => ({ runId, outcome: `${verb} requested`, detail: '' })),
      ...result.skipped.map((skip) => ({ runId: skip.runId, outcome: skip.reason, detail: skip.detail })),
    ],
    empty: 'no runs matched',
    columns: [
      { header: 'RUN', value: (row) => row.runId },
      { header: 'OUTCOME', value: (row) => row.outcome },
      { header: 'DETAIL', value: (row) => row.detail },
    ],
  });
  if (cli.format === 'table')
    cli.note(
      `${result.matched} matched, ${result.accepted.length} ${verb} requested, ${result.skipped.length} skipped` +
        (result.truncated ? ' — more runs match: run the command again for the rest' : ''),
    );
}

/** `runs bulk-cancel` and `runs bulk-retry`: POST /api/v1/runs/bulk-cancel|bulk-retry. */
export function addBulkCommands(cli: Cli, runs: Command): void {
  addFilterOptions(
    runs
      .command('bulk-cancel')
      .description('Cancel many runs: these ids, or every run the filter matches (at most 1,000 a call)')
      .argument('[runIds...]', 'run ids'),
  )
    .option('--reason <text>', 'why (at most 500 characters), shown in each run')
    .action(async (runIds: string[], options: BulkOptions) => {
      const target = bulkTarget(runIds, options);
      const result = await unwrap(
        cli.api().POST('/api/v1/runs/bulk-cancel', {
          body: { ...target, ...(options.reason ? { reason: options.reason } : {}) },
        }),
      );
      printResult(cli, 'cancel', result);
    });
  addFilterOptions(
    runs
      .command('bulk-retry')
      .description(
        'Retry many failed runs from where they failed: these ids, or every run the filter matches (at most 1,000 a call)',
      )
      .argument('[runIds...]', 'run ids'),
  )
    .option('--reason <text>', 'why (at most 500 characters), shown in each run')
    .action(async (runIds: string[], options: BulkOptions) => {
      const target = bulkTarget(runIds, options);
      const result = await unwrap(
        cli.api().POST('/api/v1/runs/bulk-retry', {
          body: { ...target, ...(options.reason ? { reason: options.reason } : {}) },
        }),
      );
      printResult(cli, 'retry', result);
    });
}
