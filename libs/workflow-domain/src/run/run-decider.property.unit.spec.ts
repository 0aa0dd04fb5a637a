import { type WorkflowDefinition } from '@spark/contracts';
// fast-check is a test-only dependency, allowed for the domain's specs in eslint.config.mjs.
import fc from 'fast-check';

import { RunHarness } from '../testing';
import { type RunEvent } from './events';
import { evolve } from './evolve';
import { pendingWork } from './pending-work';
import { initialRunState, isFinal } from './state';

const retry = { maxAttempts: 3, backoff: 'exponential' as const, initialInterval: '1s', jitter: 0.5 };
const compensate = { handler: 'noop' as const, retry: { maxAttempts: 2 } };

const definitions: WorkflowDefinition[] = [
  {
    name: 'diamond',
    version: 1,
    timeout: '1h',
    steps: [
      { id: 'a', type: 'task', handler: 'noop', retry, compensate },
      {
        id: 'b',
        type: 'task',
        handler: 'noop',
        needs: ['a'],
        retry,
        compensate,
        timeout: { heartbeat: '20s' },
      },
      {
        id: 'c',
        type: 'task',
        handler: 'noop',
        needs: ['a'],
        retry,
        timeout: { scheduleToStart: '30s', startToClose: '1m' },
      },
      { id: 'd', type: 'task', handler: 'noop', needs: ['b', 'c'], retry },
    ],
  },
  {
    name: 'fan-out',
    version: 1,
    steps: [
      {
        id: 'items',
        type: 'map',
        items: 'input.items',
        concurrency: 3,
        retry,
        task: { handler: 'noop', input: '=item' },
      },
      {
        id: 'route',
        type: 'switch',
        needs: ['items'],
        branches: [{ name: 'many', when: '$count(steps.items.output) > 5', steps: ['big'] }],
        default: ['small'],
      },
      { id: 'big', type: 'task', handler: 'noop', retry },
      { id: 'small', type: 'task', handler: 'noop' },
      { id: 'join', type: 'task', handler: 'noop', needs: ['big', 'small'], join: 'noneFailed', compensate },
    ],
  },
];

/** What the world can do to a run: executors report (possibly stale or duplicated), timers fire, users cancel. */
const action = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('report' as const),
      pick: fc.nat(),
      outcome: fc.constantFrom('start', 'ok', 'ok', 'fail', 'fatal', 'heartbeat'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('timer' as const), early: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 90_000 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('cancel' as const), chance: fc.integer({ min: 0, max: 19 }) }),
  },
);

describe('run decider properties', () => {
  it('random result orders, duplicates and stale attempts never produce two successes for one step, nor a run that ends (or stalls) with work pending', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...definitions),
        fc.array(action, { maxLength: 80 }),
        fc.nat({ max: 8 }),
        async (definition, actions, itemCount) => {
          const run = new RunHarness();
          await run.start(definition, { items: Array.from({ length: itemCount }, (_, i) => i) });
          // Every attempt ever dispatched stays deliverable: redelivery and stale results are the point.
          const delivered = () =>
            run.events.flatMap((e) =>
              e.type === 'TaskDispatched' ? [{ taskId: e.data.taskId, attempt: e.data.attempt }] : [],
            );

          const checkInvariants = () => {
            const successesPerStep = new Map<string, number>();
            const successesPerAttempt = new Set<string>();
            for (const event of run.events) {
              if (event.type === 'StepSucceeded')
                successesPerStep.set(event.data.stepId, (successesPerStep.get(event.data.stepId) ?? 0) + 1);
              if (event.type === 'StepAttemptSucceeded') {
                const key = `${event.data.taskId}:${event.data.attempt}`;
                expect(successesPerAttempt.has(key)).toBe(false);
                successesPerAttempt.add(key);
              }
            }
            for (const count of successesPerStep.values()) expect(count).toBe(1);
            const successfulTasks = [...successesPerAttempt].map((key) => key.slice(0, key.lastIndexOf(':')));
            expect(new Set(successfulTasks).size).toBe(successfulTasks.length);
            const work = pendingWork(run.state);
            if (isFinal(run.state)) {
              expect(work).toEqual({ dispatches: [], childRuns: [], timers: [] });
              expect(run.state.status !== 'notStarted' && Object.keys(run.state.tasks)).toEqual([]);
            } else {
              // Never stuck: something is always due to happen, at the latest when a timer fires.
              expect(work.timers.length).toBeGreaterThan(0);
            }
          };

          for (const step of actions) {
            if (isFinal(run.state)) break;
            switch (step.kind) {
              case 'report': {
                const all = delivered();
                const target = all[step.pick % all.length];
                if (!target) break;
                const { taskId, attempt } = target;
                if (step.outcome === 'start') await run.started(taskId, attempt);
                else if (step.outcome === 'heartbeat') await run.heartbeat(taskId, attempt);
                else if (step.outcome === 'ok') await run.succeed(taskId, `${taskId}@${attempt}`, attempt);
                else
                  await run.fail(
                    taskId,
                    { code: 'E', message: 'boom' },
                    { attempt, retryable: step.outcome === 'fail' },
                  );
                break;
              }
              case 'timer': {
                const timer = pendingWork(run.state).timers[0];
                if (!timer) break;
                if (step.early)
                  expect(await run.fireTimer(timer.timerId)).toEqual(
                    timer.fireAt <= run.now ? expect.anything() : [],
                  );
                else await run.fireNextTimer();
                break;
              }
              case 'tick':
                run.advanceTime(step.ms);
                break;
              case 'cancel':
                if (step.chance === 0) await run.cancel();
                break;
            }
            checkInvariants();
          }

          // Let the world behave from here on: the run must reach a final state.
          for (let guard = 0; !isFinal(run.state); guard++) {
            if (guard > 500) throw new Error(`run did not finish: ${JSON.stringify(pendingWork(run.state))}`);
            const state = run.state;
            const live =
              state.status === 'notStarted'
                ? []
                : Object.values(state.tasks).filter((t) => t.status !== 'backoff');
            if (live[0]) await run.succeed(live[0].taskId, 'ok', live[0].attempt);
            else await run.fireNextTimer();
            checkInvariants();
          }

          // The stream alone rebuilds the state, read back as a restarted scheduler reads it: through
          // JSON (a Date, a Map or undefined in an array would not survive) and frozen (evolve may not
          // write into the events it folds). The live state's own fold shares its objects, so it would
          // agree with itself whatever evolve did.
          const stored = deepFrozen(JSON.parse(JSON.stringify(run.events)) as RunEvent[]);
          expect(stored.reduce(evolve, initialRunState())).toEqual(run.state);
          expect(JSON.parse(JSON.stringify(run.state))).toEqual(run.state);
        },
      ),
      { numRuns: 300 },
    );
  });
});

function deepFrozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFrozen(inner);
    Object.freeze(value);
  }
  return value;
}
