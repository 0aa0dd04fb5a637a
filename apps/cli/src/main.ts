import { CommanderError } from 'commander';
import { Cli, CliError, exitCodeOf, ExitCode, hintFor } from './cli';
import { createProgram, descendants } from './program';

// `spark runs list | head`: the reader went away; stop quietly instead of crashing on EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  throw error;
});

async function main(argv: string[]): Promise<number> {
  const cli = new Cli(process.env, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
  const program = createProgram(cli);
  program.exitOverride();
  for (const command of descendants(program)) command.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version succeed; help shown for a missing subcommand (exit code 1 from
      // commander) and everything else commander rejects are usage errors.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      if (error.code === 'commander.help' && error.exitCode === 0) return ExitCode.ok;
      return ExitCode.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`spark: ${message}\n`);
    const hint = hintFor(error, cli.baseUrlForHints());
    if (hint) process.stderr.write(`hint: ${hint}\n`);
    if (
      !(error instanceof CliError) &&
      exitCodeOf(error) === ExitCode.failure &&
      error instanceof Error &&
      process.env.SPARK_DEBUG
    )
      process.stderr.write(`${error.stack}\n`);
    return exitCodeOf(error);
  }
}

// Exit once stdout is flushed (a pipe may still hold output on some platforms).
main(process.argv.slice(2)).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(`spark: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(ExitCode.failure);
  },
);
