import fc from 'fast-check';
import { EventStoreValidationError } from '../errors/event-store-errors';
import { type NewEvent } from './events';
import {
  assertJson,
  validateAppend,
  validateExpectedRevision,
  validateMultiStreamAppend,
} from './validation';

const event = (overrides: Partial<NewEvent> = {}): NewEvent => ({
  type: 'RunStarted',
  data: { a: 1 },
  ...overrides,
});

describe('validateAppend', () => {
  it('checks a metadata object shared by several events once, and gives each event its JSON', () => {
    const shared = { correlationId: 'run-1', causationId: 'kafka:1', skipped: undefined };
    const validated = validateMultiStreamAppend([
      {
        streamName: 'run-1',
        events: [event({ metadata: shared }), event({ metadata: shared })],
        expectedRevision: 'any',
      },
      {
        streamName: 'run-2',
        events: [event({ metadata: shared }), event({ metadata: { correlationId: 'run-2' } })],
        expectedRevision: 'any',
      },
    ]).flat();
    expect(validated.map((one) => one.metadataJson)).toEqual([
      '{"correlationId":"run-1","causationId":"kafka:1"}',
      '{"correlationId":"run-1","causationId":"kafka:1"}',
      '{"correlationId":"run-1","causationId":"kafka:1"}',
      '{"correlationId":"run-2"}',
    ]);
    const bad = { correlationId: 7 };
    expect(() =>
      validateMultiStreamAppend([
        {
          streamName: 'run-1',
          events: [event(), event({ metadata: bad as never }), event({ metadata: bad as never })],
          expectedRevision: 'any',
        },
      ]),
    ).toThrow(expect.objectContaining({ path: 'appends[0].events[1].metadata.correlationId' }));
  });

  it('fills in a lower-case UUID when the event has no id, and serialises data and metadata', () => {
    const [validated] = validateAppend(
      'run-1',
      [event({ metadata: { correlationId: 'run-1', extra: undefined } })],
      { expectedRevision: 'any' },
    );

    expect(validated!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(validated!.dataJson).toBe('{"a":1}');
    expect(validated!.metadataJson).toBe('{"correlationId":"run-1"}');
  });

  it.each<[string, () => unknown, RegExp]>([
    ['an empty stream name', () => validateAppend('', [event()], { expectedRevision: 'any' }), /streamName/],
    [
      'a negative revision',
      () => validateAppend('s', [event()], { expectedRevision: -1n }),
      /expectedRevision/,
    ],
    [
      'a number revision',
      () => validateAppend('s', [event()], { expectedRevision: 1 as unknown as bigint }),
      /bigint/,
    ],
    ['no events', () => validateAppend('s', [], { expectedRevision: 'any' }), /non-empty array/],
    [
      'a non-UUID id',
      () => validateAppend('s', [event({ id: 'x' })], { expectedRevision: 'any' }),
      /events\[0\]\.id/,
    ],
    [
      'a non-string correlationId',
      () =>
        validateAppend('s', [event({ metadata: { correlationId: 1 as unknown as string } })], {
          expectedRevision: 'any',
        }),
      /correlationId/,
    ],
    [
      'a Map in data',
      () => validateAppend('s', [event({ data: { m: new Map() } as never })], { expectedRevision: 'any' }),
      /events\[0\]\.data\.m/,
    ],
  ])('refuses %s with a path', (_label, act, message) => {
    expect(act).toThrow(EventStoreValidationError);
    expect(act).toThrow(message);
  });

  it('accepts every expected-revision kind and non-negative bigints', () => {
    for (const expected of ['no_stream', 'stream_exists', 'any', 0n, 42n] as const)
      expect(() => validateExpectedRevision(expected)).not.toThrow();
  });
});

describe('assertJson', () => {
  it('accepts whatever JSON.parse can produce', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => void assertJson(value, 'data')));
  });

  it('accepts a value again after a JSON round trip, unchanged', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const roundTripped: unknown = JSON.parse(JSON.stringify(value));
        assertJson(roundTripped, 'data');
        expect(roundTripped).toEqual(JSON.parse(JSON.stringify(roundTripped)));
      }),
    );
  });

  it('names the path of what is wrong, however deep', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = { back: cyclic };
    const cases: [unknown, string][] = [
      [{ a: [1, { b: undefined }] }, 'data.a[1].b'],
      [{ a: { b: [0, Number.NaN] } }, 'data.a.b[1]'],
      [{ when: new Date() }, 'data.when'],
      [cyclic, 'data.self.back'],
    ];
    for (const [value, path] of cases) {
      let thrown: unknown;
      try {
        assertJson(value, 'data');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(EventStoreValidationError);
      expect((thrown as EventStoreValidationError).path).toBe(path);
    }
  });

  it('refuses any value that holds something JSON cannot carry, wherever it sits', () => {
    const bad = fc.constantFrom<unknown>(undefined, 1n, Number.NaN, new Date(0), () => 1, Symbol('s'));
    fc.assert(
      fc.property(fc.jsonValue(), bad, fc.nat(), (value, inner, where) => {
        // Put the bad value somewhere inside a JSON value: as an array item or as a property.
        const holder = where % 2 === 0 ? { value, inner } : [value, [inner]];
        expect(() => assertJson(holder, 'data')).toThrow(EventStoreValidationError);
      }),
    );
  });

  it.each([[undefined], [Symbol('s')], [1n], [Number.POSITIVE_INFINITY], [new Date()], [[1, () => 2]]])(
    'refuses %p',
    (value) => {
      expect(() => assertJson(value, 'data')).toThrow(EventStoreValidationError);
    },
  );
});
