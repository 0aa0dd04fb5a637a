import { createSparkClient, type SparkApi } from '@spark/client';
import { type Connection, resolveConnection } from '../config';
import { OUTPUT_FORMATS, type OutputFormat, render, type TableView } from '../output';
import { CliError, ExitCode } from './exit-codes';

/** The options every command accepts (declared once, on the root command). */
export interface GlobalOptions {
  apiUrl?: string;
  apiKey?: string;
  profile?: string;
  output?: string;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const CLI_VERSION = '0.1.0';

/** What a command needs: its settings, a client of the gateway, and somewhere to print. */
export class Cli {
  private options: GlobalOptions = {};
  private resolved?: Connection;
  private client?: SparkApi;

  constructor(
    readonly env: NodeJS.ProcessEnv,
    readonly io: Io,
  ) {}

  useOptions(options: GlobalOptions): void {
    this.options = options;
    this.resolved = undefined;
    this.client = undefined;
  }

  get format(): OutputFormat {
    const format = (this.options.output ?? this.env.SPARK_OUTPUT ?? 'table') as OutputFormat;
    if (!OUTPUT_FORMATS.includes(format))
      throw new CliError(
        `--output must be one of ${OUTPUT_FORMATS.join(', ')}, not "${format}"`,
        ExitCode.usage,
      );
    return format;
  }

  connection(): Connection {
    this.resolved ??= resolveConnection(this.options, this.env);
    return this.resolved;
  }

  /** The baseUrl even when the settings are broken (for error hints). */
  baseUrlForHints(): string {
    try {
      return this.connection().baseUrl;
    } catch {
      return this.options.apiUrl ?? this.env.SPARK_API_URL ?? 'the configured URL';
    }
  }

  api(): SparkApi {
    const { baseUrl, apiKey } = this.connection();
    this.client ??= createSparkClient({
      baseUrl,
      ...(apiKey ? { apiKey } : {}),
      userAgent: `spark-cli/${CLI_VERSION}`,
    });
    return this.client;
  }

  print<T>(data: unknown, view: TableView<T>): void {
    this.io.out(render(data, this.format, view) + '\n');
  }

  /** Progress and notes go to stderr, so stdout stays parseable with --output json|yaml. */
  note(text: string): void {
    this.io.err(text + '\n');
  }
}
