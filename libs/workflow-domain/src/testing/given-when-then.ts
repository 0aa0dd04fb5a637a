import { type ErrorCode, isDomainError } from '../errors';
import { type Decider } from '../shared/decider';
import { canonicalJson } from '../shared/hash';

/**
 * Decider specifications that read as given/when/then:
 *
 *   await spec.given(events).when(command).then(expectedEvents);
 *   await spec.given(events).when(command).thenThrows('ILLEGAL_STATE');
 *
 * Framework-free (throws plain Errors) so any test runner can use it.
 */
export const deciderSpecification = <State, Command, Event>(decider: Decider<State, Command, Event>) => ({
  given: (events: readonly Event[]) => {
    const state = () => events.reduce(decider.evolve, decider.initialState());
    return {
      when: (command: Command) => {
        const decided = async () => decider.decide(command, state());
        return {
          /** The events the command produced (for partial assertions). */
          events: decided,
          /** The state after the given events and the produced ones. */
          state: async () => (await decided()).reduce(decider.evolve, state()),
          then: async (expected: readonly Event[]) => {
            const actual = await decided();
            // Key order does not matter; event order does.
            if (canonicalJson(actual) !== canonicalJson(expected)) {
              throw new Error(
                `events differ\nexpected: ${JSON.stringify(expected, null, 2)}\nactual:   ${JSON.stringify(actual, null, 2)}`,
              );
            }
          },
          thenNothing: async () => {
            const actual = await decided();
            if (actual.length > 0) throw new Error(`expected no events, got ${JSON.stringify(actual)}`);
          },
          thenThrows: async (code: ErrorCode, reason?: string) => {
            let caught: unknown;
            try {
              await decided();
            } catch (error) {
              caught = error;
            }
            if (!isDomainError(caught, code))
              throw new Error(
                `expected a ${code} error, got ${caught === undefined ? 'no error' : String(caught)}`,
              );
            if (reason !== undefined && (caught as unknown as { reason?: string }).reason !== reason) {
              throw new Error(
                `expected reason ${reason}, got ${String((caught as unknown as { reason?: string }).reason)}`,
              );
            }
          },
        };
      },
    };
  },
});

/** Applies commands one after another, each to the state left by the previous ones. */
export const runCommands = async <State, Command, Event>(
  decider: Decider<State, Command, Event>,
  commands: readonly Command[],
  given: readonly Event[] = [],
): Promise<{ events: Event[]; state: State }> => {
  let state = given.reduce(decider.evolve, decider.initialState());
  const events: Event[] = [];
  for (const command of commands) {
    const produced = await decider.decide(command, state);
    events.push(...produced);
    state = produced.reduce(decider.evolve, state);
  }
  return { events, state };
};
