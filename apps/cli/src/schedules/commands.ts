import { type components, type Schedule, type ScheduleDefinition, unwrap } from '@spark/client';
import { Command, Option } from 'commander';
import { parse } from 'yaml';
import {
  type Cli,
  CliError,
  ExitCode,
  isoInstant,
  parseJsonOption,
  positiveInt,
  readInputFile,
} from '../cli';

type ScheduleCommandResult = components['schemas']['ScheduleCommandResultDto'];
const OVERLAPS = [
  'SKIP',
  'BUFFER_ONE',
  'BUFFER_ALL',
  'CANCEL_OTHER',
  'TERMINATE_OTHER',
  'ALLOW_ALL',
] as const;

interface SpecOptions {
  file?: string;
  cron?: string;
  timezone?: string;
  every?: string;
  anchor?: string;
  at?: string;
  workflow?: string;
  workflowVersion?: number;
  input?: unknown;
  overlap?: (typeof OVERLAPS)[number];
  catchupWindow?: string;
  jitter?: string;
  startAt?: string;
  endAt?: string;
}

/** The options that describe a schedule, shared by create, update and preview. */
function withSpecOptions(command: Command): Command {
  return command
    .option('-f, --file <file>', 'the schedule definition as YAML or JSON (flags override its fields)')
    .option('--cron <expression>', 'cron: 5 fields, or 6 with seconds first')
    .option('--timezone <iana>', 'time zone of --cron (default UTC), e.g. Europe/Berlin')
    .option('--every <duration>', 'an interval, e.g. 30s, 10m, 1h')
    .option('--anchor <instant>', 'where --every counts from (default: creation)', (v) =>
      isoInstant(v, '--anchor'),
    )
    .option('--at <instant>', 'fire once at this instant', (v) => isoInstant(v, '--at'))
    .option('--workflow <name>', 'the workflow each fire runs')
    .option('--workflow-version <n>', 'pin a version (default: the latest at each fire)', (v) =>
      positiveInt(v, '--workflow-version'),
    )
    .option('--input <json>', 'input of every run: JSON, @file.json or @-', (v) =>
      parseJsonOption(v, '--input'),
    )
    .addOption(
      new Option('--overlap <policy>', 'what a fire does while a run it started still runs').choices(
        OVERLAPS,
      ),
    )
    .option('--catchup-window <duration>', 'missed fires at most this late still happen (default 1m)')
    .option('--jitter <duration>', 'delay each fire by a deterministic amount below this')
    .option('--start-at <instant>', 'no fire before this instant', (v) => isoInstant(v, '--start-at'))
    .option('--end-at <instant>', 'no fire after this instant', (v) => isoInstant(v, '--end-at'));
}

/** Without a workflow when neither the options, the file nor the base name one: the gateway says so (400). */
type DefinitionInput = Omit<ScheduleDefinition, 'workflow'> & { workflow?: ScheduleDefinition['workflow'] };

function definitionFrom(options: SpecOptions, base?: ScheduleDefinition): DefinitionInput {
  const fromFile = options.file
    ? (parse(readInputFile(options.file)) as Partial<ScheduleDefinition> & { id?: string })
    : {};
  const kinds = [options.cron, options.every, options.at].filter((value) => value !== undefined).length;
  if (kinds > 1) throw new CliError('give one of --cron, --every or --at', ExitCode.usage);
  const spec: ScheduleDefinition['spec'] | undefined = options.cron
    ? { kind: 'cron', expression: options.cron, ...(options.timezone ? { timezone: options.timezone } : {}) }
    : options.every
      ? { kind: 'interval', every: options.every, ...(options.anchor ? { anchor: options.anchor } : {}) }
      : options.at
        ? { kind: 'once', at: options.at }
        : options.timezone && base?.spec.kind === 'cron'
          ? { ...base.spec, timezone: options.timezone }
          : (fromFile.spec ?? base?.spec);
  if (!spec) throw new CliError('say when it fires: --cron, --every or --at (or --file)', ExitCode.usage);
  const { id: _id, ...fileFields } = fromFile as Partial<ScheduleDefinition> & {
    id?: string;
    paused?: boolean;
  };
  delete (fileFields as { paused?: boolean }).paused;
  const workflowName = options.workflow ?? fromFile.workflow?.name ?? base?.workflow?.name;
  const workflowVersion =
    options.workflowVersion ??
    (options.workflow ? undefined : (fromFile.workflow?.version ?? base?.workflow?.version));
  return {
    ...base,
    ...fileFields,
    spec,
    ...(workflowName
      ? { workflow: { name: workflowName, ...(workflowVersion ? { version: workflowVersion } : {}) } }
      : {}),
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.overlap ? { overlap: options.overlap } : {}),
    ...(options.catchupWindow ? { catchupWindow: options.catchupWindow } : {}),
    ...(options.jitter ? { jitter: options.jitter } : {}),
    ...(options.startAt ? { startAt: options.startAt } : {}),
    ...(options.endAt ? { endAt: options.endAt } : {}),
  };
}

const describeSpec = (spec: ScheduleDefinition['spec']): string =>
  spec.kind === 'cron'
    ? `cron "${spec.expression}"${spec.timezone ? ` ${spec.timezone}` : ''}`
    : spec.kind === 'interval'
      ? `every ${spec.every}`
      : `once at ${spec.at}`;

function scheduleFields(schedule: Schedule): [string, unknown][] {
  const stats = (schedule.stats ?? {}) as Record<string, unknown>;
  return [
    ['schedule', schedule.id],
    ['status', schedule.status],
    ['when', describeSpec(schedule.schedule.spec)],
    [
      'workflow',
      schedule.schedule.workflow
        ? `${schedule.schedule.workflow.name}${schedule.schedule.workflow.version ? ` v${schedule.schedule.workflow.version}` : ''}`
        : undefined,
    ],
    ['overlap', schedule.schedule.overlap],
    ['next fire', schedule.nextFire?.fireAt],
    ['last nominal time', schedule.lastNominalTime],
    ['running runs', schedule.runningRunIds.length ? schedule.runningRunIds.join(', ') : undefined],
    ['fires', stats.fireCount],
    ['last run', stats.lastRunId],
    ['last outcome', stats.lastOutcome],
    ['created', schedule.createdAt],
  ];
}

function printResult(cli: Cli, result: ScheduleCommandResult, verb: string): void {
  const fired = result.fired.map(
    (fire) => `  fired ${fire.nominalTime} → run ${fire.runId} (${fire.trigger})`,
  );
  const text = [
    `schedule ${result.schedule.id} ${verb}`,
    '',
    ...scheduleFields(result.schedule)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([name, value]) => `${name}: ${String(value)}`),
    ...fired,
    ...result.skipped.map((time) => `  skipped ${time} (overlap policy)`),
    ...result.buffered.map((time) => `  buffered ${time} (overlap policy)`),
  ].join('\n');
  cli.print(result, { kind: 'text', text });
}

export function schedulesCommand(cli: Cli): Command {
  const schedules = new Command('schedules')
    .alias('sched')
    .description('Runs on a calendar: cron with time zones, intervals, one-offs, overlap policies, backfill');

  withSpecOptions(
    schedules
      .command('create')
      .description('Create a schedule (the same id with the same definition again is a no-op)')
      .argument('[id]', 'schedule id (letters, digits, "_", "." or "-"); a UUID when omitted'),
  )
    .option('--paused', 'create it paused')
    .addHelpText(
      'after',
      '\nExamples:\n  spark schedules create nightly --cron "0 2 * * *" --timezone Europe/Berlin --workflow report\n  spark schedules create poll --every 30s --workflow poll-feed --overlap SKIP',
    )
    .action(async (id: string | undefined, options: SpecOptions & { paused?: boolean }) => {
      const fromFile = options.file ? (parse(readInputFile(options.file)) as { id?: string }) : {};
      const definition = definitionFrom(options);
      const scheduleId = id ?? fromFile.id;
      const result = await unwrap(
        cli.api().POST('/api/v1/schedules', {
          body: {
            ...(definition as ScheduleDefinition),
            ...(scheduleId ? { id: scheduleId } : {}),
            paused: options.paused ?? false,
          },
        }),
      );
      printResult(cli, result, 'created');
    });

  schedules
    .command('list')
    .alias('ls')
    .description('Every schedule but deleted ones, soonest next fire first')
    .action(async () => {
      const items = (await unwrap(cli.api().GET('/api/v1/schedules'))) as Record<string, unknown>[];
      cli.print(items, {
        kind: 'rows',
        rows: items,
        empty: 'no schedules',
        columns: [
          { header: 'ID', value: (row) => row.id },
          { header: 'STATUS', value: (row) => row.status },
          { header: 'WORKFLOW', value: (row) => (row.workflow as { name?: string } | undefined)?.name },
          { header: 'NEXT FIRE', value: (row) => row.nextFireAt },
          { header: 'LAST FIRED', value: (row) => row.lastFiredAt },
          { header: 'FIRES', value: (row) => row.fireCount },
          { header: 'LAST OUTCOME', value: (row) => row.lastOutcome },
        ],
      });
    });

  schedules
    .command('get')
    .description('A schedule: its state now and its stats')
    .argument('<id>')
    .action(async (scheduleId: string) => {
      const schedule = await unwrap(
        cli.api().GET('/api/v1/schedules/{scheduleId}', { params: { path: { scheduleId } } }),
      );
      cli.print(schedule, { kind: 'fields', fields: scheduleFields(schedule) });
    });

  withSpecOptions(
    schedules
      .command('update')
      .description('Change a schedule: the flags given replace those fields, the rest stays')
      .argument('<id>'),
  ).action(async (scheduleId: string, options: SpecOptions) => {
    const api = cli.api();
    const current = await unwrap(
      api.GET('/api/v1/schedules/{scheduleId}', { params: { path: { scheduleId } } }),
    );
    const result = await unwrap(
      api.PUT('/api/v1/schedules/{scheduleId}', {
        params: { path: { scheduleId } },
        body: definitionFrom(options, current.schedule) as ScheduleDefinition,
      }),
    );
    printResult(cli, result, 'updated');
  });

  schedules
    .command('pause')
    .description('Stop firing until resumed')
    .argument('<id>')
    .option('--reason <text>', 'why, kept in its history')
    .action(async (scheduleId: string, options: { reason?: string }) => {
      const result = await unwrap(
        cli.api().POST('/api/v1/schedules/{scheduleId}/pause', {
          params: { path: { scheduleId } },
          body: options.reason ? { reason: options.reason } : {},
        }),
      );
      printResult(cli, result, 'paused');
    });

  schedules
    .command('resume')
    .description('Fire again (missed fires within the catch-up window happen)')
    .argument('<id>')
    .action(async (scheduleId: string) => {
      const result = await unwrap(
        cli.api().POST('/api/v1/schedules/{scheduleId}/resume', { params: { path: { scheduleId } } }),
      );
      printResult(cli, result, 'resumed');
    });

  schedules
    .command('trigger')
    .description('Fire now, once, outside the calendar')
    .argument('<id>')
    .action(async (scheduleId: string) => {
      const result = await unwrap(
        cli.api().POST('/api/v1/schedules/{scheduleId}/trigger', { params: { path: { scheduleId } } }),
      );
      printResult(cli, result, 'triggered');
    });

  schedules
    .command('backfill')
    .description('Fire every nominal time in [from, to) that has not run (one run per nominal time)')
    .argument('<id>')
    .requiredOption('--from <instant>', 'first nominal time considered (inclusive)', (v) =>
      isoInstant(v, '--from'),
    )
    .requiredOption('--to <instant>', 'end of the range (exclusive), not in the future', (v) =>
      isoInstant(v, '--to'),
    )
    .addOption(new Option('--overlap <policy>', 'overlap policy for these fires').choices(OVERLAPS))
    .action(
      async (
        scheduleId: string,
        options: { from: string; to: string; overlap?: (typeof OVERLAPS)[number] },
      ) => {
        const result = await unwrap(
          cli.api().POST('/api/v1/schedules/{scheduleId}/backfill', {
            params: { path: { scheduleId } },
            body: {
              from: options.from,
              to: options.to,
              ...(options.overlap ? { overlap: options.overlap } : {}),
            },
          }),
        );
        printResult(cli, result, 'backfilled');
      },
    );

  schedules
    .command('delete')
    .alias('rm')
    .description('Delete a schedule (runs it started are left alone)')
    .argument('<id>')
    .action(async (scheduleId: string) => {
      await unwrap(cli.api().DELETE('/api/v1/schedules/{scheduleId}', { params: { path: { scheduleId } } }));
      cli.print({ id: scheduleId, deleted: true }, { kind: 'text', text: `schedule ${scheduleId} deleted` });
    });

  withSpecOptions(
    schedules
      .command('preview')
      .description('The next fire times of a schedule, or of a definition given with flags')
      .argument('[id]', 'an existing schedule'),
  )
    .option('--count <n>', 'how many fire times', (v) => positiveInt(v, '--count'), 5)
    .option('--from <instant>', 'fire times after this instant (default now)', (v) => isoInstant(v, '--from'))
    .action(
      async (scheduleId: string | undefined, options: SpecOptions & { count: number; from?: string }) => {
        const query = { count: options.count, ...(options.from ? { from: options.from } : {}) };
        const api = cli.api();
        const result = scheduleId
          ? await unwrap(
              api.GET('/api/v1/schedules/{scheduleId}/fire-times', {
                params: { path: { scheduleId }, query },
              }),
            )
          : await unwrap(
              api.POST('/api/v1/schedules/preview', {
                params: { query }, // The gateway's validation wants a workflow even to compute fire times.
                body: (({ workflow, ...rest }) => ({
                  ...rest,
                  workflow: workflow ?? { name: options.workflow ?? 'preview' },
                }))(definitionFrom(options)),
              }),
            );
        cli.print(result, { kind: 'text', text: result.fireTimes.join('\n') || 'no fire times ahead' });
      },
    );

  return schedules;
}
