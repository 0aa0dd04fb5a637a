import type { ResolvedSource, SourceResolver } from './source-resolver';

/** `langflow-prod` → `LANGFLOW_PROD`: upper-cased, every non-alphanumeric character → `_`. */
export function sourceEnvironmentName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Sources from `SPARK_SOURCE_<NAME>_URL` and `SPARK_SOURCE_<NAME>_API_KEY`. */
export class EnvironmentSourceResolver implements SourceResolver {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async resolve(name: string): Promise<ResolvedSource | undefined> {
    const prefix = `SPARK_SOURCE_${sourceEnvironmentName(name)}`;
    const baseUrl = this.env[`${prefix}_URL`];
    if (!baseUrl) return undefined;
    const apiKey = this.env[`${prefix}_API_KEY`];
    return apiKey ? { baseUrl, apiKey } : { baseUrl };
  }
}
