import { SparkApiError } from '@spark/client';

/**
 * Exit codes a script can rely on (documented in `spark --help` and docs/adr/0100-cli.md).
 * Kept stable: new codes are added, existing ones never change meaning.
 */
export const ExitCode = {
  ok: 0,
  /** Anything not covered below. */
  failure: 1,
  /** Bad command line: unknown command or option, missing argument, unreadable file. */
  usage: 2,
  /** The API key is missing or rejected (401), or lacks the scope (403). */
  auth: 3,
  notFound: 4,
  /** The request conflicts with the current state (409), e.g. a version registered with other content. */
  conflict: 5,
  /** The gateway refused the input (400, 413, 415, 422), or `workflows validate` found problems. */
  invalid: 6,
  /** No answer from the gateway (connection refused, DNS, timeout). */
  unreachable: 7,
  /** The gateway failed (5xx). */
  server: 8,
  /** A watched run ended other than COMPLETED (FAILED, CANCELLED, TIMED_OUT). */
  runNotCompleted: 10,
  /** `spark doctor` found a component down. */
  unhealthy: 11,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `Exit codes:
  0  success                    6  invalid input (400/413/415/422, validate found problems)
  1  other failure              7  gateway unreachable
  2  usage error                8  gateway error (5xx)
  3  API key missing/rejected   10 a watched run ended FAILED, CANCELLED or TIMED_OUT
  4  not found                  11 doctor found a component down
  5  conflict (409)`;

/** An error the CLI reports as one line (plus an optional hint) with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof SparkApiError) {
    const { status } = error;
    if (status === 0) return ExitCode.unreachable;
    if (status === 401 || status === 403) return ExitCode.auth;
    if (status === 404) return ExitCode.notFound;
    if (status === 409) return ExitCode.conflict;
    if (status >= 500) return ExitCode.server;
    if (status >= 400) return ExitCode.invalid;
  }
  return ExitCode.failure;
}

/** What to do next, for the errors a user can fix. */
export function hintFor(error: unknown, baseUrl: string): string | undefined {
  if (error instanceof CliError) return error.hint;
  if (!(error instanceof SparkApiError)) return undefined;
  switch (error.status) {
    case 0:
      return `is the gateway running at ${baseUrl}? Check with \`spark doctor\`; set the address with --api-url, SPARK_API_URL or a profile (\`spark config --help\`)`;
    case 401:
      return 'pass a valid key with --api-key, SPARK_API_KEY or a profile (`spark config set-profile --help`)';
    case 403:
      return 'this key lacks the scope for this command; an admin can create one with `spark keys create NAME --scope read,write`';
    default:
      return undefined;
  }
}
