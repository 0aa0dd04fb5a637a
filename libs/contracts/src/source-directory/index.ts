/**
 * What the gateway publishes to executors about registered sources and secrets (docs/adr/0134), one
 * stream per name (`sourceStreamName`, `secretStreamName`). Every event carries the whole state and a
 * `change` number from the gateway's sequence: a reader keeps the event with the highest `change` of a
 * name, so appends that land out of order (two gateways, a reconcile) cannot roll a value back.
 */

/** A value sealed to the executors' public key (see `ExecutorSealer` in `@spark/service-kit`). */
export interface SealedForExecutors {
  keyId: string;
  epk: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

export const SOURCE_DIRECTORY_EVENTS = {
  sourceDefined: 'SourceDefined',
  sourceRemoved: 'SourceRemoved',
  secretDefined: 'SecretDefined',
  secretRemoved: 'SecretRemoved',
} as const;

export interface SourceDefinedData {
  name: string;
  change: number;
  kind: string;
  baseUrl: string;
  /** Sealed with the source name as additional data; null when the source has no key. */
  apiKey: SealedForExecutors | null;
}

export interface SecretDefinedData {
  name: string;
  change: number;
  /** Sealed with `secret:<name>` as additional data. */
  value: SealedForExecutors;
}

export interface DirectoryRemovedData {
  name: string;
  change: number;
}

/** The additional data a source's API key is sealed with. */
export const sourceKeyAssociatedData = (name: string): string => name;
/** The additional data a secret's value is sealed with. */
export const secretAssociatedData = (name: string): string => `secret:${name}`;
