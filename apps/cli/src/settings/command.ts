import { Command } from 'commander';
import { type Cli, CliError, ExitCode, readInputFile } from '../cli';
import { configPath, maskKey, readConfig, SERVICES, type Service, writeConfig } from '../config';

export function configCommand(cli: Cli): Command {
  const config = new Command('config').description(
    'Profiles: one per Spark installation (gateway URL, API key), kept in $SPARK_CONFIG or ~/.config/spark/config.yaml',
  );
  config.addHelpText(
    'after',
    '\nWhich settings win: --api-url/--api-key, then SPARK_API_URL/SPARK_API_KEY, then the profile named by\n--profile or SPARK_PROFILE, else the current profile, else http://127.0.0.1:8080 without a key.',
  );

  config
    .command('show')
    .description('The settings in effect, and where each comes from')
    .action(() => {
      const connection = cli.connection();
      cli.print(
        { ...connection, apiKey: connection.apiKey ? maskKey(connection.apiKey) : undefined },
        {
          kind: 'fields',
          fields: [
            ['config file', connection.configFile],
            ['profile', connection.profile ?? '(none)'],
            ['api url', `${connection.baseUrl} (from ${connection.origin.url})`],
            ['api key', `${maskKey(connection.apiKey)} (from ${connection.origin.apiKey})`],
          ],
        },
      );
    });

  config
    .command('profiles')
    .alias('ls')
    .description('Every profile')
    .action(() => {
      const file = configPath(cli.env);
      const { current, profiles } = readConfig(file);
      const rows = Object.entries(profiles).map(([name, profile]) => ({
        name,
        current: name === current,
        url: profile.url,
        apiKey: maskKey(profile.apiKey),
      }));
      cli.print(rows, {
        kind: 'rows',
        rows,
        empty: `no profiles in ${file} (add one with \`spark config set-profile NAME --url URL\`)`,
        columns: [
          { header: '', value: (row) => (row.current ? '*' : ' ') },
          { header: 'NAME', value: (row) => row.name },
          { header: 'URL', value: (row) => row.url },
          { header: 'API KEY', value: (row) => row.apiKey },
        ],
      });
    });

  config
    .command('set-profile')
    .description('Create or change a profile')
    .argument('<name>')
    .option('--url <url>', "the gateway's URL, e.g. http://127.0.0.1:8080")
    .option('--api-key-value <key>', 'the API key (prefer --api-key-file: keeps it out of the shell history)')
    .option('--api-key-file <file>', 'read the API key from a file ("-" for stdin)')
    .option(
      '--service-url <service=url>',
      'where doctor finds a service, e.g. scheduler=http://10.0.0.5:8081 (repeatable)',
      collectService,
    )
    .option('--use', 'make it the current profile')
    .action(
      (
        name: string,
        options: {
          url?: string;
          apiKeyValue?: string;
          apiKeyFile?: string;
          serviceUrl?: Partial<Record<Service, string>>;
          use?: boolean;
        },
      ) => {
        const file = configPath(cli.env);
        const config = readConfig(file);
        const existing = config.profiles[name] ?? {};
        const apiKey = options.apiKeyFile ? readInputFile(options.apiKeyFile).trim() : options.apiKeyValue;
        config.profiles[name] = {
          ...existing,
          ...(options.url ? { url: options.url } : {}),
          ...(apiKey ? { apiKey } : {}),
          ...(options.serviceUrl ? { services: { ...existing.services, ...options.serviceUrl } } : {}),
        };
        if (options.use || !config.current) config.current = name;
        writeConfig(file, config);
        cli.print(
          { profile: name, current: config.current === name, file },
          {
            kind: 'text',
            text: `profile ${name} saved in ${file}${config.current === name ? ' (current)' : ''}`,
          },
        );
      },
    );

  config
    .command('use')
    .description('Make a profile the current one')
    .argument('<name>')
    .action((name: string) => {
      const file = configPath(cli.env);
      const config = readConfig(file);
      if (!config.profiles[name]) throw new CliError(`no profile "${name}" in ${file}`, ExitCode.usage);
      config.current = name;
      writeConfig(file, config);
      cli.print({ current: name }, { kind: 'text', text: `current profile: ${name}` });
    });

  config
    .command('delete-profile')
    .description('Remove a profile')
    .argument('<name>')
    .action((name: string) => {
      const file = configPath(cli.env);
      const config = readConfig(file);
      if (!config.profiles[name]) throw new CliError(`no profile "${name}" in ${file}`, ExitCode.usage);
      delete config.profiles[name];
      if (config.current === name) delete config.current;
      writeConfig(file, config);
      cli.print({ deleted: name }, { kind: 'text', text: `profile ${name} removed` });
    });

  return config;
}

function collectService(
  value: string,
  previous: Partial<Record<Service, string>> = {},
): Partial<Record<Service, string>> {
  const [service, url] = [value.slice(0, value.indexOf('=')), value.slice(value.indexOf('=') + 1)];
  if (!SERVICES.includes(service as Service) || !url)
    throw new CliError(
      `--service-url takes service=url with a service of ${SERVICES.join(', ')}; got "${value}"`,
      ExitCode.usage,
    );
  return { ...previous, [service]: url };
}
