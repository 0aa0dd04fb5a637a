import type { SecretDefinedData, SourceDefinedData } from '@spark/contracts';

/**
 * The executor's port to registered sources and secrets (docs/adr/0134): what the gateway published
 * for a name, its values still sealed to the executors' key. `undefined` for a name that is not
 * registered (or was removed). Adapters throw a retryable `<WHAT>_LOOKUP_FAILED` when they cannot look.
 */
export interface SourceDirectory {
  source(name: string): Promise<SourceDefinedData | undefined>;
  secret(name: string): Promise<SecretDefinedData | undefined>;
}
