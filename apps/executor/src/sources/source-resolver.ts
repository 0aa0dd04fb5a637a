/** Where a LangFlow or agent server lives and the key to call it with. */
export interface ResolvedSource {
  baseUrl: string;
  apiKey?: string;
}

/**
 * Turns a step's `config.source` (a name) into a server and its key. Behind an interface so
 * sources registered through the gateway (the directory, docs/adr/0134) come before the
 * environment. Resolves `undefined` for a name it does not know.
 */
export interface SourceResolver {
  resolve(name: string): Promise<ResolvedSource | undefined>;
}

/** Asks each resolver in turn; the first that knows the name wins. */
export class FirstMatchSourceResolver implements SourceResolver {
  constructor(private readonly resolvers: SourceResolver[]) {}

  async resolve(name: string): Promise<ResolvedSource | undefined> {
    for (const resolver of this.resolvers) {
      const source = await resolver.resolve(name);
      if (source) return source;
    }
    return undefined;
  }
}
