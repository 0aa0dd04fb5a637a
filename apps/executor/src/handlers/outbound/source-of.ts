import type { ResolvedSource, SourceResolver } from '../../sources';
import { TaskExecutionError } from '../task-execution-error';
import type { ConfigFields } from '../config-fields';

/** The server a langflow/agent step calls, from `config.source`; its key never comes from the workflow. */
export async function sourceOf(fields: ConfigFields, sources: SourceResolver): Promise<ResolvedSource> {
  const name = fields.requiredString('source');
  const source = await sources.resolve(name);
  if (!source) {
    throw TaskExecutionError.nonRetryable('SOURCE_NOT_FOUND', `source "${name}" is not registered`, {
      source: name,
    });
  }
  return source;
}

/** Joins a base URL (with or without a path or trailing slash) and an absolute API path. */
export function urlUnder(baseUrl: string, path: string): URL {
  const base = baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl;
  return new URL(`${base}${path}`);
}
