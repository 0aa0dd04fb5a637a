import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CliError, ExitCode } from './exit-codes';

/** Reads a file named on the command line, or stdin for "-". */
export function readInputFile(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : path.resolve(file), 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      ExitCode.usage,
    );
  }
}

/** `--input '{"n":1}'`, `--input @file.json` or `--input @-` (stdin). */
export function parseJsonOption(value: string, flag: string): unknown {
  const text = value.startsWith('@') ? readInputFile(value.slice(1)) : value;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${flag} is not valid JSON: ${(error as Error).message}`, ExitCode.usage);
  }
}

/** Repeated `--label k=v` into a map. */
export function collectLabel(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const equals = value.indexOf('=');
  if (equals <= 0) throw new CliError(`--label takes key=value, got "${value}"`, ExitCode.usage);
  return { ...previous, [value.slice(0, equals)]: value.slice(equals + 1) };
}

export function positiveInt(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new CliError(`${flag} must be a positive integer, got "${value}"`, ExitCode.usage);
  return number;
}

export function isoInstant(value: string, flag: string): string {
  const time = Date.parse(value);
  if (!Number.isFinite(time))
    throw new CliError(
      `${flag} must be an ISO-8601 instant (e.g. 2026-12-01T10:00:00Z), got "${value}"`,
      ExitCode.usage,
    );
  return new Date(time).toISOString();
}

export function definitionMediaType(file: string, text: string): 'application/json' | 'application/yaml' {
  if (/\.json$/i.test(file)) return 'application/json';
  if (/\.ya?ml$/i.test(file)) return 'application/yaml';
  return text.trimStart().startsWith('{') ? 'application/json' : 'application/yaml';
}
