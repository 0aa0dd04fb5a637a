import { Command, Option } from 'commander';
import { keysCommand, sourcesCommand, triggersCommand } from './admin';
import { type Cli, CLI_VERSION, EXIT_CODES_HELP, type GlobalOptions } from './cli';
import { completionCommand } from './completion';
import { demoCommand } from './demo';
import { doctorCommand } from './doctor';
import { OUTPUT_FORMATS } from './output';
import { runsCommand } from './runs';
import { schedulesCommand } from './schedules';
import { configCommand } from './settings';
import { workflowsCommand } from './workflows';

/** The `spark` command tree. Every command speaks the gateway's public REST API only. */
export function createProgram(cli: Cli): Command {
  const program = withGlobalOptions(
    new Command('spark')
      .description('Spark, the event-sourced workflow orchestrator, from a terminal (through its REST API)')
      .version(CLI_VERSION, '-V, --version', 'print the version'),
  )
    // Root options only before the subcommand, so that `workflows get NAME --version 2` is the
    // subcommand's; the global options are declared on every command instead.
    .enablePositionalOptions()
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      `\nConfig: flags, then SPARK_API_URL / SPARK_API_KEY, then a profile (\`spark config --help\`).\n\n${EXIT_CODES_HELP}`,
    );

  program.hook('preAction', (_root, action) => cli.useOptions(action.optsWithGlobals<GlobalOptions>()));

  for (const command of [
    workflowsCommand(cli),
    runsCommand(cli),
    schedulesCommand(cli),
    sourcesCommand(cli),
    triggersCommand(cli),
    keysCommand(cli),
    doctorCommand(cli),
    configCommand(cli),
    demoCommand(cli),
    completionCommand(cli, () => program),
  ])
    program.addCommand(command);
  for (const command of descendants(program)) withGlobalOptions(command);
  return program;
}

function withGlobalOptions(command: Command): Command {
  return command
    .addOption(new Option('--api-url <url>', "the gateway's URL (or SPARK_API_URL)"))
    .addOption(new Option('--api-key <key>', 'an API key, sent as a Bearer token (or SPARK_API_KEY)'))
    .addOption(new Option('--profile <name>', 'a profile of the config file (or SPARK_PROFILE)'))
    .addOption(
      new Option('-o, --output <format>', 'table, json or yaml (or SPARK_OUTPUT)').choices(OUTPUT_FORMATS),
    );
}

export function descendants(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...descendants(child)]);
}
