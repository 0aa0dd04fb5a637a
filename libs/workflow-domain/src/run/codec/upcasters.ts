import { type WorkflowRef } from '../events';

/** An event as stored, not yet read as a RunEvent. */
export interface StoredEvent {
  type: string;
  data: unknown;
  metadata?: Readonly<Record<string, unknown>>;
}

/** What a reader knows of the event's run besides the event (what an upcaster may need). */
export interface RunEventContext {
  /** The run's workflow, from its RunStarted (or the reader's own record of the run). */
  workflow?: WorkflowRef;
}

/** Rewrites an event of version N into version N + 1. */
export type Upcaster = (
  event: { type: string; data: Record<string, unknown> },
  context: RunEventContext,
) => {
  type: string;
  data: Record<string, unknown>;
};

/** v1 → v2: a TaskDispatched names its run's workflow (when the reader knows it). */
const taskDispatchNamesItsWorkflow: Upcaster = (event, context) =>
  event.type === 'TaskDispatched' && event.data.workflow === undefined && context.workflow
    ? { type: event.type, data: { ...event.data, workflow: context.workflow } }
    : event;

/** The upcaster from each version to the next: `RUN_EVENT_UPCASTERS[n]` reads version n as n + 1. */
export const RUN_EVENT_UPCASTERS: Readonly<Record<number, Upcaster>> = {
  1: taskDispatchNamesItsWorkflow,
};
