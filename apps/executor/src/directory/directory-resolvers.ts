import { type SealedForExecutors, secretAssociatedData, sourceKeyAssociatedData } from '@spark/contracts';
import { type ExecutorOpener } from '@spark/service-kit';
import { TaskExecutionError } from '../handlers/task-execution-error';
import type { SecretResolver } from '../secrets';
import type { ResolvedSource, SourceResolver } from '../sources';
import type { SourceDirectory } from './source-directory';

/** Opens sealed values with this executor's private keys; one opened value per name and change. */
class Unsealer {
  private readonly opened = new Map<string, { change: number; value: string }>();

  constructor(
    private readonly opener: ExecutorOpener | undefined,
    private readonly code: string,
  ) {}

  open(what: string, change: number, sealed: SealedForExecutors, associatedData: string): string {
    const cached = this.opened.get(associatedData);
    if (cached?.change === change) return cached.value;
    if (!this.opener)
      throw TaskExecutionError.nonRetryable(
        this.code,
        `${what} is sealed for executors, but this executor has no SPARK_EXECUTOR_PRIVATE_KEYS to open it`,
      );
    if (!this.opener.canOpen(sealed))
      throw TaskExecutionError.nonRetryable(
        this.code,
        `${what} is sealed to executor key ${sealed.keyId}, not to one of this executor's (${this.opener.keyIds.join(', ')})`,
      );
    let value: string;
    try {
      value = this.opener.open(sealed, associatedData);
    } catch (error) {
      throw TaskExecutionError.nonRetryable(
        this.code,
        `${what} cannot be opened: ${(error as Error).message}`,
      );
    }
    this.opened.set(associatedData, { change, value });
    return value;
  }
}

/** Registered sources, from the executor's directory (docs/adr/0134). */
export class DirectorySourceResolver implements SourceResolver {
  private readonly unsealer: Unsealer;

  constructor(
    private readonly directory: SourceDirectory,
    opener: ExecutorOpener | undefined,
  ) {
    this.unsealer = new Unsealer(opener, 'SOURCE_KEY_UNREADABLE');
  }

  async resolve(name: string): Promise<ResolvedSource | undefined> {
    const source = await this.directory.source(name);
    if (!source) return undefined;
    if (!source.apiKey) return { baseUrl: source.baseUrl };
    const apiKey = this.unsealer.open(
      `the API key of source "${name}"`,
      source.change,
      source.apiKey,
      sourceKeyAssociatedData(name),
    );
    return { baseUrl: source.baseUrl, apiKey };
  }
}

/** Registered secrets of http steps, from the executor's directory (docs/adr/0134). */
export class DirectorySecretResolver implements SecretResolver {
  private readonly unsealer: Unsealer;

  constructor(
    private readonly directory: SourceDirectory,
    opener: ExecutorOpener | undefined,
  ) {
    this.unsealer = new Unsealer(opener, 'SECRET_UNREADABLE');
  }

  async resolve(name: string): Promise<string | undefined> {
    const secret = await this.directory.secret(name);
    if (!secret) return undefined;
    return this.unsealer.open(`secret "${name}"`, secret.change, secret.value, secretAssociatedData(name));
  }
}
