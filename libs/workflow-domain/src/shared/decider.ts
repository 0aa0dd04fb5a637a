/**
 * The decider shape (STYLE.md). `decide` may return a promise: JSONata evaluation is asynchronous, and the run
 * decider evaluates expressions while deciding (docs/adr/0010-async-decide.md). It is still deterministic:
 * the same command on the same state gives the same events.
 */
export interface Decider<State, Command, Event> {
  decide: (command: Command, state: State) => Event[] | Promise<Event[]>;
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
  /**
   * Reads a stored event (type, data, metadata) on the state folded before it, upcasting older
   * schema versions; without it, stored events are taken as they are.
   */
  decodeEvent?: (
    stored: { type: string; data: unknown; metadata?: Readonly<Record<string, unknown>> },
    state: State,
  ) => Event;
  /** The schema version of the events `decide` writes, recorded in their metadata (`schemaVersion`). */
  eventSchemaVersion?: number;
}

export const fold = <State, Event>(
  decider: Pick<Decider<State, never, Event>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State => events.reduce(decider.evolve, decider.initialState());
