import { type RunEvent, RUN_EVENT_TYPES, type WorkflowRef } from '../events';
import { RUN_EVENT_SCHEMA_VERSION, RunEventDecodeError, schemaVersionOf } from './schema-version';
import { RUN_EVENT_UPCASTERS, type RunEventContext, type StoredEvent, type Upcaster } from './upcasters';

const KNOWN_TYPES: ReadonlySet<string> = new Set(RUN_EVENT_TYPES);

export const isRunEventType = (type: string): type is RunEvent['type'] => KNOWN_TYPES.has(type);

/**
 * The one way to read a stored run event: checks its type and schema version and brings it up to
 * the current version through the upcasters. Readers that know the run's workflow pass it, so older
 * events that lacked it get it. The data is trusted beyond that (the event store only holds what the
 * run decider wrote); a wrong type or a version from newer code is a RunEventDecodeError.
 */
export function decodeRunEvent(
  stored: StoredEvent,
  context: RunEventContext = {},
  upcasters: Readonly<Record<number, Upcaster>> = RUN_EVENT_UPCASTERS,
): RunEvent {
  if (!isRunEventType(stored.type)) throw new RunEventDecodeError(`"${stored.type}" is not a run event`);
  if (typeof stored.data !== 'object' || stored.data === null || Array.isArray(stored.data))
    throw new RunEventDecodeError(`the data of a ${stored.type} is not an object`);
  const version = schemaVersionOf(stored.metadata);
  if (version > RUN_EVENT_SCHEMA_VERSION)
    throw new RunEventDecodeError(
      `a ${stored.type} of schema version ${version} is newer than this code (${RUN_EVENT_SCHEMA_VERSION})`,
    );
  let event: { type: string; data: Record<string, unknown> } = {
    type: stored.type,
    data: stored.data as Record<string, unknown>,
  };
  for (let from = version; from < RUN_EVENT_SCHEMA_VERSION; from++) {
    const upcast = upcasters[from];
    if (!upcast)
      throw new RunEventDecodeError(`no upcaster reads run events of version ${from} as ${from + 1}`);
    event = upcast(event, context);
  }
  return event as unknown as RunEvent;
}

/** The events of one run stream, in order: the run's workflow comes from its RunStarted. */
export function decodeRunStream(stored: readonly StoredEvent[], context: RunEventContext = {}): RunEvent[] {
  let workflow: WorkflowRef | undefined = context.workflow;
  return stored.map((event) => {
    const decoded = decodeRunEvent(event, { ...context, workflow });
    if (decoded.type === 'RunStarted') workflow = decoded.data.workflow;
    return decoded;
  });
}
