import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { type GoldenStream, replayGoldenStream } from '../../testing';
import { type Upcaster } from '../codec';

// Run streams recorded from real runs (tools/golden-runs/record.ts), replayed through `decide` and
// `evolve`: a change to the events or the deciders that old runs cannot survive fails here. A renamed
// or reshaped event field needs an upcaster for the stored streams, or a new recording said so in review.
const STREAMS = path.join(__dirname, 'streams');
const goldenStreams = readdirSync(STREAMS)
  .filter((file) => file.endsWith('.json'))
  .map((file) => [file, JSON.parse(readFileSync(path.join(STREAMS, file), 'utf8')) as GoldenStream] as const);

const FINAL_STATUS: Record<string, string> = {
  RunCompleted: 'completed',
  RunFailed: 'failed',
  RunCancelled: 'cancelled',
  RunTimedOut: 'timedOut',
};

describe('golden run streams', () => {
  it('there are recorded streams to replay, of every final outcome but a timeout', () => {
    expect(new Set(goldenStreams.map(([, golden]) => golden.outcome))).toEqual(
      new Set(['RunCompleted', 'RunFailed', 'RunCancelled']),
    );
  });

  describe.each(goldenStreams)('%s', (_file, golden) => {
    it('decide, on the state evolve folds from what came before, appends every decision as recorded', async () => {
      const { decisions } = await replayGoldenStream(golden);
      for (const [index, { command, recorded, decided }] of decisions.entries())
        expect({ decision: index, command: command.type, events: decided }).toEqual({
          decision: index,
          command: command.type,
          events: recorded,
        });
      expect(decisions.flatMap((decision) => decision.recorded)).toHaveLength(golden.events.length);
    });

    it('evolve folds the whole stream into the final state it recorded', async () => {
      const { state } = await replayGoldenStream(golden);
      expect(state.status).toBe(FINAL_STATUS[golden.outcome]);
    });
  });

  it('a stream whose event field was renamed without an upcaster fails the replay', async () => {
    const [, golden] = goldenStreams.find(([file]) => file === 'order-fulfilment-completed.json')!;
    const renamed: GoldenStream = {
      ...golden,
      events: golden.events.map((event) =>
        event.type === 'StepAttemptSucceeded'
          ? { ...event, data: renameKey(event.data as Record<string, unknown>, 'output', 'result') }
          : event,
      ),
    };
    const { decisions } = await replayGoldenStream(renamed);
    const diverged = decisions.filter(({ recorded, decided }) => !isDeepStrictEqual(recorded, decided));
    expect(diverged.length).toBeGreaterThan(0);
  });
});

describe('golden run streams (schema version 1) read through the upcasters', () => {
  it('replay only with the v1 → v2 upcaster: without it the TaskDispatched decided today (with the workflow) differ', async () => {
    const [, golden] = goldenStreams.find(([file]) => file === 'order-fulfilment-completed.json')!;
    const withUpcaster = await replayGoldenStream(golden);
    const dispatched = withUpcaster.decisions
      .flatMap(({ recorded }) => recorded)
      .find((event) => event.type === 'TaskDispatched');
    expect(dispatched?.data.workflow).toEqual({ name: 'order-fulfilment', version: expect.any(Number) });
    expect(
      withUpcaster.decisions.filter(({ recorded, decided }) => !isDeepStrictEqual(recorded, decided)),
    ).toEqual([]);

    const identity: Upcaster = (event) => event;
    const { decisions } = await replayGoldenStream(golden, { 1: identity });
    const diverged = decisions.filter(({ recorded, decided }) => !isDeepStrictEqual(recorded, decided));
    expect(diverged.map(({ command }) => command.type)).toContain('StartRun');
  });
});

function renameKey(data: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  const { [from]: value, ...rest } = data;
  return { ...rest, [to]: value };
}
