import { type WorkflowDefinition } from '@spark/contracts';

import { ConflictError, IllegalStateError } from '../errors';
import { contentHash } from '../shared';
import { type Decider } from '../shared/decider';
import { type Instant } from '../time';
import { assertValidDefinition } from '../validation';

/** The `workflow-<name>` stream: every registered version of one workflow. Versions are immutable. */

export interface RegisterWorkflowVersion {
  type: 'RegisterWorkflowVersion';
  data: { definition: unknown };
  metadata: { now: Instant };
}
export type WorkflowCommand = RegisterWorkflowVersion;

export interface WorkflowVersionRegistered {
  type: 'WorkflowVersionRegistered';
  data: {
    name: string;
    version: number;
    contentHash: string;
    definition: WorkflowDefinition;
    registeredAt: Instant;
  };
}
export type WorkflowEvent = WorkflowVersionRegistered;

export interface WorkflowVersionsState {
  name?: string;
  versions: Record<number, { contentHash: string; definition: WorkflowDefinition }>;
}

export const workflowVersionsDecider: Decider<WorkflowVersionsState, WorkflowCommand, WorkflowEvent> = {
  initialState: () => ({ versions: {} }),

  /** Same version with the same content (any key order) is idempotent; other content is a conflict. */
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterWorkflowVersion': {
        const definition = assertValidDefinition(command.data.definition);
        if (state.name !== undefined && state.name !== definition.name) {
          throw new IllegalStateError(
            `stream holds workflow "${state.name}", not "${definition.name}"`,
            'WORKFLOW_NAME_MISMATCH',
          );
        }
        const hash = contentHash(definition);
        const existing = state.versions[definition.version];
        if (existing) {
          if (existing.contentHash === hash) return [];
          throw new ConflictError(
            `workflow "${definition.name}" version ${definition.version} is already registered with other content; register a new version`,
            'DEFINITION_VERSION_IMMUTABLE',
          );
        }
        return [
          {
            type: 'WorkflowVersionRegistered',
            data: {
              name: definition.name,
              version: definition.version,
              contentHash: hash,
              definition,
              registeredAt: command.metadata.now,
            },
          },
        ];
      }
      default: {
        const _exhaustive: never = command.type;
        return _exhaustive;
      }
    }
  },

  evolve: (state, event) => {
    switch (event.type) {
      case 'WorkflowVersionRegistered':
        return {
          name: event.data.name,
          versions: {
            ...state.versions,
            [event.data.version]: { contentHash: event.data.contentHash, definition: event.data.definition },
          },
        };
      default: {
        const _exhaustive: never = event.type;
        return _exhaustive;
      }
    }
  },
};

export const latestVersion = (state: WorkflowVersionsState): number | undefined => {
  const versions = Object.keys(state.versions).map(Number);
  return versions.length === 0 ? undefined : Math.max(...versions);
};
