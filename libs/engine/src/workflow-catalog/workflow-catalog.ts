import { type WorkflowDefinition } from '@spark/contracts';
import { type EventStore } from '@spark/event-store';
import {
  latestVersion,
  NotFoundError,
  type WorkflowCommand,
  type WorkflowEvent,
  workflowVersionsDecider,
  type WorkflowVersionsState,
} from '@spark/workflow-domain';
import { DeciderRepository } from '../decider-repository';

export const workflowStreamName = (name: string): string => `workflow-${name}`;

/**
 * Registered workflow definitions, one `workflow-<name>` stream per workflow. Versions are immutable:
 * registering the same version again with the same content is a no-op, with other content a conflict.
 */
export class WorkflowCatalog {
  private readonly repository: DeciderRepository<WorkflowVersionsState, WorkflowCommand, WorkflowEvent>;
  /** Versions never change once registered, so a pinned version is cached for good. */
  private readonly pinned = new Map<string, WorkflowDefinition>();

  constructor(store: EventStore) {
    // Another instance may register a version at any time: a cached stream is caught up before use
    // (one query that usually finds nothing new), so "the latest version" never reads the whole stream.
    this.repository = new DeciderRepository(store, workflowVersionsDecider, workflowStreamName, {
      cacheSize: 1000,
      catchUpCachedState: true,
    });
  }

  async register(
    definition: unknown,
    now: string,
    causationId: string,
  ): Promise<{ name: string; version: number; created: boolean }> {
    const name = (definition as { name?: unknown })?.name;
    const { events, state } = await this.repository.handle(
      typeof name === 'string' ? name : '',
      { type: 'RegisterWorkflowVersion', data: { definition }, metadata: { now } },
      { causationId },
    );
    const version = events[0]?.data.version ?? (definition as { version: number }).version;
    return { name: state.name ?? String(name), version, created: events.length > 0 };
  }

  /** The given version, or the latest one. Throws NotFoundError naming what is missing. */
  async get(name: string, version?: number): Promise<WorkflowDefinition> {
    if (version !== undefined) {
      const cached = this.pinned.get(`${name}@${version}`);
      if (cached) return cached;
    }
    const { state } = await this.repository.load(name);
    const wanted = version ?? latestVersion(state);
    const definition = wanted === undefined ? undefined : state.versions[wanted]?.definition;
    if (!definition) {
      throw new NotFoundError(
        version === undefined
          ? `workflow "${name}" is not registered`
          : `workflow "${name}" has no version ${version}`,
      );
    }
    this.pinned.set(`${name}@${definition.version}`, definition);
    return definition;
  }

  async versions(name: string): Promise<WorkflowDefinition[]> {
    const { state } = await this.repository.load(name);
    return Object.values(state.versions)
      .map((entry) => entry.definition)
      .sort((a, b) => a.version - b.version);
  }
}
