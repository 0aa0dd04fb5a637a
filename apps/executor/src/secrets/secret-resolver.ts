/** Secrets by name, for header references of http steps (`{ "secret": "<name>" }`). */
export interface SecretResolver {
  /** The value, or undefined when no such secret is registered. */
  resolve(name: string): Promise<string | undefined>;
}
