import { type ApiKey, type Source, type Trigger, unwrap } from '@spark/client';
import { Command, Option } from 'commander';
import { type Cli, CliError, ExitCode, positiveInt, readInputFile } from '../cli';

const SCOPES = ['read', 'write', 'admin'] as const;
type Scope = (typeof SCOPES)[number];

function scopes(value: string): Scope[] {
  const list = value.split(',').map((scope) => scope.trim()) as Scope[];
  const wrong = list.filter((scope) => !SCOPES.includes(scope));
  if (wrong.length || list.length === 0)
    throw new CliError(
      `--scope takes a comma-separated list of ${SCOPES.join(', ')}; got "${value}"`,
      ExitCode.usage,
    );
  return list;
}

/** --api-key-file keeps the key out of the shell history and the process list. */
function apiKeyOf(options: {
  apiKeyValue?: string;
  apiKeyFile?: string;
  removeApiKey?: boolean;
}): string | null | undefined {
  if (options.removeApiKey) return null;
  if (options.apiKeyFile) return readInputFile(options.apiKeyFile).trim();
  return options.apiKeyValue;
}

export function sourcesCommand(cli: Cli): Command {
  const sources = new Command('sources').description(
    'LangFlow and agent servers that steps call (their keys are stored encrypted)',
  );
  const columns = [
    { header: 'NAME', value: (row: Source) => row.name },
    { header: 'KIND', value: (row: Source) => row.kind },
    { header: 'URL', value: (row: Source) => row.baseUrl },
    { header: 'KEY', value: (row: Source) => (row.hasApiKey ? 'stored' : '-') },
    { header: 'DESCRIPTION', value: (row: Source) => row.description ?? '' },
  ];
  const keyOptions = (command: Command) =>
    command
      .option('--key <apiKey>', "the server's API key (prefer --key-file)")
      .option('--key-file <file>', 'read the API key from a file ("-" for stdin)');

  keyOptions(
    sources
      .command('add')
      .description('Register a source')
      .argument('<name>')
      .addOption(
        new Option('--kind <kind>', 'server kind').choices(['langflow', 'agent']).makeOptionMandatory(),
      )
      .requiredOption('--url <baseUrl>', 'its base URL, e.g. http://langflow.internal:7860')
      .option('--description <text>'),
  ).action(
    async (
      name: string,
      options: {
        kind: 'langflow' | 'agent';
        url: string;
        description?: string;
        key?: string;
        keyFile?: string;
      },
    ) => {
      const apiKey = apiKeyOf({ apiKeyValue: options.key, apiKeyFile: options.keyFile });
      const source = await unwrap(
        cli.api().POST('/api/v1/sources', {
          body: {
            name,
            kind: options.kind,
            baseUrl: options.url,
            ...(options.description ? { description: options.description } : {}),
            ...(apiKey ? { apiKey } : {}),
          },
        }),
      );
      cli.print(source, { kind: 'rows', rows: [source], columns });
    },
  );

  sources
    .command('list')
    .alias('ls')
    .description('Every registered source')
    .action(async () => {
      const items = await unwrap(cli.api().GET('/api/v1/sources'));
      cli.print(items, { kind: 'rows', rows: items, columns, empty: 'no sources' });
    });

  sources
    .command('get')
    .argument('<name>')
    .description('One source')
    .action(async (name: string) => {
      const source = await unwrap(cli.api().GET('/api/v1/sources/{name}', { params: { path: { name } } }));
      cli.print(source, { kind: 'rows', rows: [source], columns });
    });

  keyOptions(
    sources
      .command('update')
      .description('Change a source (only the fields given)')
      .argument('<name>')
      .addOption(new Option('--kind <kind>').choices(['langflow', 'agent']))
      .option('--url <baseUrl>')
      .option('--description <text>')
      .option('--remove-key', 'forget the stored API key'),
  ).action(
    async (
      name: string,
      options: {
        kind?: 'langflow' | 'agent';
        url?: string;
        description?: string;
        key?: string;
        keyFile?: string;
        removeKey?: boolean;
      },
    ) => {
      const apiKey = apiKeyOf({
        apiKeyValue: options.key,
        apiKeyFile: options.keyFile,
        removeApiKey: options.removeKey,
      });
      const source = await unwrap(
        cli.api().PATCH('/api/v1/sources/{name}', {
          params: { path: { name } },
          body: {
            ...(options.kind ? { kind: options.kind } : {}),
            ...(options.url ? { baseUrl: options.url } : {}),
            ...(options.description !== undefined ? { description: options.description } : {}),
            ...(apiKey !== undefined ? { apiKey } : {}),
          },
        }),
      );
      cli.print(source, { kind: 'rows', rows: [source], columns });
    },
  );

  sources
    .command('flows')
    .argument('<name>', 'a LangFlow source')
    .description('The flows on a LangFlow source (import one with `spark workflows import-langflow`)')
    .action(async (name: string) => {
      const flows = await unwrap(
        cli.api().GET('/api/v1/sources/{name}/flows', { params: { path: { name } } }),
      );
      cli.print(flows, {
        kind: 'rows',
        rows: flows,
        empty: `no flows on ${name}`,
        columns: [
          { header: 'ID', value: (flow) => flow.id },
          { header: 'NAME', value: (flow) => flow.name },
          { header: 'ENDPOINT', value: (flow) => flow.endpointName ?? '' },
          { header: 'DESCRIPTION', value: (flow) => flow.description ?? '' },
        ],
      });
    });

  sources
    .command('remove')
    .alias('rm')
    .argument('<name>')
    .description('Forget a source')
    .action(async (name: string) => {
      await unwrap(cli.api().DELETE('/api/v1/sources/{name}', { params: { path: { name } } }));
      cli.print({ name, deleted: true }, { kind: 'text', text: `source ${name} removed` });
    });
  return sources;
}

export function keysCommand(cli: Cli): Command {
  const keys = new Command('keys').description('API keys and their scopes (needs an admin key)');
  const columns = [
    { header: 'ID', value: (row: ApiKey) => row.id },
    { header: 'NAME', value: (row: ApiKey) => row.name },
    { header: 'SCOPES', value: (row: ApiKey) => row.scopes.join(',') },
    { header: 'PREFIX', value: (row: ApiKey) => row.prefix },
    { header: 'CREATED', value: (row: ApiKey) => row.createdAt },
  ];
  keys
    .command('create')
    .description('Create a key; it is printed this once')
    .argument('<name>')
    .requiredOption('--scope <scopes>', 'comma-separated: read, write, admin', scopes)
    .action(async (name: string, options: { scope: Scope[] }) => {
      const created = await unwrap(
        cli.api().POST('/api/v1/api-keys', { body: { name, scopes: options.scope } }),
      );
      cli.print(created, {
        kind: 'fields',
        fields: [
          ['id', created.id],
          ['name', created.name],
          ['scopes', created.scopes.join(',')],
          ['key', created.key],
          [
            'note',
            'the key is shown only now: store it (e.g. `spark config set-profile NAME --api-key-file FILE`)',
          ],
        ],
      });
    });
  keys
    .command('list')
    .alias('ls')
    .description('Every key (without the secret)')
    .action(async () => {
      const items = await unwrap(cli.api().GET('/api/v1/api-keys'));
      cli.print(items, { kind: 'rows', rows: items, columns });
    });
  keys
    .command('revoke')
    .argument('<id>')
    .description('Revoke a key at once (not the last admin key; your own only with --self)')
    .option('--self', 'confirm revoking the key this command runs with')
    .action(async (id: string, options: { self?: boolean }) => {
      await unwrap(
        cli.api().DELETE('/api/v1/api-keys/{id}', {
          params: { path: { id }, ...(options.self ? { query: { self: 'true' as const } } : {}) },
        }),
      );
      cli.print({ id, revoked: true }, { kind: 'text', text: `key ${id} revoked` });
    });
  return keys;
}

export function triggersCommand(cli: Cli): Command {
  const triggers = new Command('triggers').description('Signed webhooks and Kafka topics that start runs');
  const columns = [
    { header: 'ID', value: (row: Trigger) => row.id },
    { header: 'KIND', value: (row: Trigger) => row.kind },
    { header: 'WORKFLOW', value: (row: Trigger) => row.workflow.name },
    { header: 'ENABLED', value: (row: Trigger) => row.enabled },
    { header: 'WHERE', value: (row: Trigger) => row.hookPath ?? row.topic },
  ];
  triggers
    .command('create')
    .description('Create a webhook or Kafka trigger (a webhook secret is printed this once)')
    .addOption(new Option('--kind <kind>').choices(['webhook', 'kafka']).makeOptionMandatory())
    .requiredOption('--workflow <name>', 'the workflow it starts')
    .option('--workflow-version <n>', 'pin a version', (v) => positiveInt(v, '--workflow-version'))
    .option('--input <jsonata>', 'JSONata computing the run input')
    .option('--topic <topic>', 'Kafka: the topic to read')
    .option('--filter <jsonata>', 'Kafka: only messages for which this is truthy')
    .addOption(
      new Option('--start-from <where>', 'Kafka: where to start reading').choices(['latest', 'earliest']),
    )
    .option('--tolerance <seconds>', 'webhook: accepted clock difference', (v) =>
      positiveInt(v, '--tolerance'),
    )
    .option('--description <text>')
    .action(
      async (options: {
        kind: 'webhook' | 'kafka';
        workflow: string;
        workflowVersion?: number;
        input?: string;
        topic?: string;
        filter?: string;
        startFrom?: 'latest' | 'earliest';
        tolerance?: number;
        description?: string;
      }) => {
        const created = await unwrap(
          cli.api().POST('/api/v1/triggers', {
            body: {
              kind: options.kind,
              workflow: {
                name: options.workflow,
                ...(options.workflowVersion ? { version: options.workflowVersion } : {}),
              },
              ...(options.input ? { input: options.input } : {}),
              ...(options.topic ? { topic: options.topic } : {}),
              ...(options.filter ? { filter: options.filter } : {}),
              ...(options.startFrom ? { startFrom: options.startFrom } : {}),
              ...(options.tolerance ? { toleranceSeconds: options.tolerance } : {}),
              ...(options.description ? { description: options.description } : {}),
            },
          }),
        );
        cli.print(created, {
          kind: 'fields',
          fields: [
            ['id', created.id],
            ['kind', created.kind],
            ['workflow', created.workflow.name],
            ['hook path', created.hookPath],
            ['topic', created.topic],
            ['secret', created.secret],
          ],
        });
      },
    );
  triggers
    .command('list')
    .alias('ls')
    .description('Every trigger')
    .action(async () => {
      const items = await unwrap(cli.api().GET('/api/v1/triggers'));
      cli.print(items, { kind: 'rows', rows: items, columns, empty: 'no triggers' });
    });
  triggers
    .command('get')
    .argument('<id>')
    .description('One trigger')
    .action(async (id: string) => {
      const trigger = await unwrap(cli.api().GET('/api/v1/triggers/{id}', { params: { path: { id } } }));
      cli.print(trigger, { kind: 'rows', rows: [trigger], columns });
    });
  for (const [verb, description] of [
    ['pause', 'Start nothing until resumed'],
    ['resume', 'Start runs again'],
    ['rotate-secret', 'A new webhook signing secret (printed this once)'],
  ] as const) {
    triggers
      .command(verb)
      .argument('<id>')
      .description(description)
      .action(async (id: string) => {
        const path = `/api/v1/triggers/{id}/${verb}` as '/api/v1/triggers/{id}/pause';
        const result = await unwrap(cli.api().POST(path, { params: { path: { id } } }));
        cli.print(result, {
          kind: 'text',
          text: `trigger ${id}: ${verb} done${(result as { secret?: string })?.secret ? `\nsecret: ${(result as { secret?: string }).secret}` : ''}`,
        });
      });
  }
  triggers
    .command('delete')
    .alias('rm')
    .argument('<id>')
    .description('Delete a trigger')
    .action(async (id: string) => {
      await unwrap(cli.api().DELETE('/api/v1/triggers/{id}', { params: { path: { id } } }));
      cli.print({ id, deleted: true }, { kind: 'text', text: `trigger ${id} deleted` });
    });
  return triggers;
}
