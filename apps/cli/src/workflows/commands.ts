import { type WorkflowDefinition } from '@spark/contracts';
import { type FieldError, SparkApiError, unwrap, type WorkflowSummary } from '@spark/client';
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { type Cli, CliError, definitionMediaType, ExitCode, positiveInt, readInputFile } from '../cli';
import { formatGraph, graphToDot, workflowGraph } from './graph';
import { lineOf } from './locate';

interface Located extends FieldError {
  line?: number;
}

const locate = (text: string, errors: FieldError[]): Located[] =>
  errors.map((error) => {
    const line = lineOf(text, error.path);
    return line === undefined ? error : { ...error, line };
  });

const problemLines = (file: string, errors: Located[]): string =>
  errors
    .map((error) => `  ${file}${error.line ? `:${error.line}` : ''}  ${error.path}: ${error.message}`)
    .join('\n');

export function workflowsCommand(cli: Cli): Command {
  const workflows = new Command('workflows')
    .alias('wf')
    .description('Register, validate and inspect workflow definitions (versioned, immutable)');

  workflows
    .command('apply')
    .description(
      'Register workflow definitions (YAML or JSON); a version already registered with the same content is a no-op',
    )
    .argument('<files...>', 'definition files; "-" reads stdin')
    .addHelpText(
      'after',
      "\nPrints each workflow's version and whether it was created or unchanged. Exit 5 when a version\nexists with other content (bump `version`), 6 when a definition is invalid.",
    )
    .action(async (files: string[]) => {
      const api = cli.api();
      const results: { file: string; name: string; version: number; status: 'created' | 'unchanged' }[] = [];
      for (const file of files) {
        const text = readInputFile(file);
        try {
          const registered = await unwrap(
            api.POST('/api/v1/workflows', {
              body: text as never,
              bodySerializer: (body: unknown) => body as string,
              headers: { 'content-type': definitionMediaType(file, text) },
            }),
          );
          results.push({
            file,
            name: registered.name,
            version: registered.version,
            status: registered.created ? 'created' : 'unchanged',
          });
        } catch (error) {
          if (error instanceof SparkApiError && error.problem?.errors?.length) {
            const located = locate(text, error.problem.errors);
            throw new CliError(
              `${file}: ${error.problem.detail ?? error.problem.title}\n${problemLines(file, located)}`,
              error.status === 409 ? ExitCode.conflict : ExitCode.invalid,
            );
          }
          if (error instanceof SparkApiError && error.status === 409)
            throw new CliError(
              `${file}: ${error.problem?.detail ?? error.message}`,
              ExitCode.conflict,
              'versions are immutable: bump `version` in the file to register a change',
            );
          throw error;
        }
      }
      cli.print(results, {
        kind: 'rows',
        rows: results,
        columns: [
          { header: 'WORKFLOW', value: (row) => row.name },
          { header: 'VERSION', value: (row) => row.version },
          { header: 'STATUS', value: (row) => row.status },
          { header: 'FILE', value: (row) => row.file },
        ],
      });
    });

  workflows
    .command('import-langflow')
    .description(
      'Register a one-step workflow that runs a flow of a LangFlow source (run it with --input \'{"message":"..."}\')',
    )
    .argument('<source>', 'a registered LangFlow source')
    .argument('<flowId>', 'the flow id (`spark sources flows SOURCE` lists them)')
    .option('--name <name>', "workflow name (default: the flow's endpoint name, else its name)")
    .action(async (source: string, flowId: string, options: { name?: string }) => {
      const registered = await unwrap(
        cli.api().POST('/api/v1/workflows/import-langflow', {
          body: { source, flowId, ...(options.name ? { name: options.name } : {}) },
        }),
      );
      const status = registered.created ? 'created' : 'unchanged';
      cli.print(
        { ...registered, status },
        {
          kind: 'text',
          text: `${registered.name} v${registered.version} ${status} (runs flow ${flowId} of ${source})`,
        },
      );
    });

  workflows
    .command('validate')
    .description(
      'Check definitions without registering them; prints each problem with its JSON path and line',
    )
    .argument('<files...>', 'definition files; "-" reads stdin')
    .addHelpText('after', '\nExit 6 when any file has problems.')
    .action(async (files: string[]) => {
      const api = cli.api();
      const results: { file: string; valid: boolean; name?: string; version?: number; errors: Located[] }[] =
        [];
      for (const file of files) {
        const text = readInputFile(file);
        const result = await unwrap(
          api.POST('/api/v1/workflows/validate', {
            body: text as never,
            bodySerializer: (body: unknown) => body as string,
            headers: { 'content-type': definitionMediaType(file, text) },
          }),
        );
        results.push({
          file,
          valid: result.valid,
          ...(result.name ? { name: result.name } : {}),
          ...(result.version ? { version: result.version } : {}),
          errors: locate(text, result.errors),
        });
      }
      const text = results
        .map((result) =>
          result.valid
            ? `${result.file}: valid (${result.name} v${result.version})`
            : `${result.file}: ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}\n${problemLines(result.file, result.errors)}`,
        )
        .join('\n');
      cli.print(results, { kind: 'text', text });
      if (results.some((result) => !result.valid)) process.exitCode = ExitCode.invalid;
    });

  workflows
    .command('list')
    .alias('ls')
    .description('Every registered workflow with its latest version')
    .action(async () => {
      const items = await unwrap(cli.api().GET('/api/v1/workflows'));
      cli.print<WorkflowSummary>(items, {
        kind: 'rows',
        rows: items,
        empty: 'no workflows registered (register one with `spark workflows apply FILE`)',
        columns: [
          { header: 'NAME', value: (row) => row.name },
          { header: 'LATEST', value: (row) => row.latestVersion },
          { header: 'VERSIONS', value: (row) => row.versionCount },
          { header: 'UPDATED', value: (row) => row.updatedAt },
        ],
      });
    });

  workflows
    .command('get')
    .description('A workflow definition (the latest version unless --version); the table output is YAML')
    .argument('<name>')
    .option('--version <n>', 'a specific version', (value) => positiveInt(value, '--version'))
    .action(async (name: string, options: { version?: number }) => {
      const definition = await getDefinition(cli, name, options.version);
      const format = cli.format;
      if (format === 'table') cli.io.out(stringify(definition));
      else cli.print(definition, { kind: 'text', text: '' });
    });

  workflows
    .command('versions')
    .description('Every version of a workflow, oldest first')
    .argument('<name>')
    .action(async (name: string) => {
      const versions = await unwrap(
        cli.api().GET('/api/v1/workflows/{name}/versions', { params: { path: { name } } }),
      );
      cli.print(versions, {
        kind: 'rows',
        rows: versions,
        columns: [
          { header: 'VERSION', value: (row) => row.version },
          { header: 'STEPS', value: (row) => row.steps },
          { header: 'DESCRIPTION', value: (row) => row.description ?? '' },
        ],
      });
    });

  workflows
    .command('graph')
    .description('The DAG as text: stages of steps that run in parallel, with what each needs')
    .argument('<name>')
    .option('--version <n>', 'a specific version', (value) => positiveInt(value, '--version'))
    .addOption(new Option('--dot', 'print Graphviz instead'))
    .action(async (name: string, options: { version?: number; dot?: boolean }) => {
      const graph = workflowGraph(await getDefinition(cli, name, options.version));
      cli.print(graph, { kind: 'text', text: options.dot ? graphToDot(graph) : formatGraph(graph) });
    });

  return workflows;
}

async function getDefinition(cli: Cli, name: string, version?: number): Promise<WorkflowDefinition> {
  const api = cli.api();
  const definition = version
    ? await unwrap(
        api.GET('/api/v1/workflows/{name}/versions/{version}', { params: { path: { name, version } } }),
      )
    : await unwrap(api.GET('/api/v1/workflows/{name}', { params: { path: { name } } }));
  return definition as unknown as WorkflowDefinition;
}
