import { randomUUID } from 'node:crypto';
import { SCHEDULE_LABEL, type StartRunCommand, Topics } from '@spark/contracts';
import { DeciderRepository, WorkflowCatalog } from '@spark/engine';
import { InMemoryEventStore } from '@spark/event-store/testing';
import { type IncomingMessage, PoisonMessageError } from '@spark/messaging';
import { runDecider, type RunCommand, type RunEvent, type RunState } from '@spark/workflow-domain';
import pino from 'pino';
import { kafkaMessage, registerChain, startChain, stepSucceeded } from '../test-support';
import { RunCommandProcessor, type ScheduledStartListener } from './run-command-processor';

// The processor over the in-memory event store: the same decisions and appends as in production,
// in milliseconds. Kafka is only the shape of its input here (a batch of messages).
describe('RunCommandProcessor', () => {
  const now = new Date('2026-04-01T09:00:00.000Z');
  let store: InMemoryEventStore;
  let offset = 0;

  beforeEach(async () => {
    store = new InMemoryEventStore();
    await registerChain(store, now);
  });

  const processor = (onScheduledStart?: ScheduledStartListener) =>
    new RunCommandProcessor(
      new DeciderRepository<RunState, RunCommand, RunEvent>(store, runDecider, (id) => `run-${id}`),
      new WorkflowCatalog(store),
      pino({ level: 'silent' }),
      () => now,
      undefined,
      onScheduledStart,
    );
  const message = (topic: string, value: unknown, at = offset++) => kafkaMessage(topic, value, at, now);
  const batch = (...messages: IncomingMessage[]) => ({ topic: messages[0]!.topic, partition: 0, messages });
  const start = (runId: string, extra: Partial<StartRunCommand> = {}) => startChain(runId, now, extra);
  const succeeded = (runId: string, stepId: string) => stepSucceeded(runId, stepId, now);
  const typesOf = async (runId: string) => (await store.readStream(`run-${runId}`)).map((e) => e.type);

  it('starts a run on its pinned definition and dispatches the first step', async () => {
    const runId = randomUUID();
    await processor().processBatch(batch(message(Topics.commands, start(runId))));

    const events = await store.readStream(`run-${runId}`);
    // The timer is the dispatch's timeout (a lost dispatch is retried, never left running).
    expect(events.map((event) => event.type)).toEqual(['RunStarted', 'TaskDispatched', 'TimerScheduled']);
    expect(events[0]!.data).toMatchObject({ workflow: { name: 'chain', version: 1 }, input: { orderId: 7 } });
    expect(events[1]!.data).toMatchObject({ stepId: 'one', attempt: 1 });
    expect(events[0]!.metadata).toMatchObject({
      correlationId: runId,
      causationId: `kafka:${Topics.commands}:0:${offset - 1}`,
    });
  });

  it('a redelivered message (same offset) appends nothing the second time', async () => {
    const runId = randomUUID();
    const delivery = message(Topics.commands, start(runId));
    await processor().processBatch(batch(delivery));
    await processor().processBatch(batch(delivery));

    expect(await typesOf(runId)).toEqual(['RunStarted', 'TaskDispatched', 'TimerScheduled']);
  });

  it('starts new runs without reading their streams first (presumed new)', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const scheduler = processor();
    await scheduler.processBatch(batch(message(Topics.commands, start('warm-up'))));
    const reads = [jest.spyOn(store, 'readStream'), jest.spyOn(store, 'readStreams')];
    await scheduler.processBatch(
      batch(message(Topics.commands, start(a)), message(Topics.commands, start(b))),
    );

    const runStreamsRead = reads.flatMap((spy) =>
      spy.mock.calls.flatMap(([names]) => (Array.isArray(names) ? names : [names])),
    );
    expect(runStreamsRead.filter((name) => String(name).startsWith('run-'))).toEqual([]);
    expect((await typesOf(a))[0]).toBe('RunStarted');
    expect((await typesOf(b))[0]).toBe('RunStarted');
  });

  it('another StartRun of a run that exists (a new message, an instance that never saw the run) changes nothing', async () => {
    const runId = randomUUID();
    await processor().processBatch(batch(message(Topics.commands, start(runId))));
    const other = randomUUID();
    // The presumption fails for runId only (a conflict); the batch is decided again on the streams.
    await processor().processBatch(
      batch(
        message(Topics.commands, start(runId, { commandId: randomUUID() })),
        message(Topics.commands, start(other)),
      ),
    );

    expect(await typesOf(runId)).toEqual(['RunStarted', 'TaskDispatched', 'TimerScheduled']);
    expect(await typesOf(other)).toEqual(['RunStarted', 'TaskDispatched', 'TimerScheduled']);
  });

  it('decides one batch of several runs and results in order, each run to its end', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const scheduler = processor();
    await scheduler.processBatch(
      batch(message(Topics.commands, start(a)), message(Topics.commands, start(b))),
    );
    await scheduler.processBatch(
      batch(
        message(Topics.taskResults, succeeded(a, 'one')),
        message(Topics.taskResults, succeeded(b, 'one')),
        message(Topics.taskResults, succeeded(a, 'two')),
      ),
    );

    expect((await typesOf(a)).at(-1)).toBe('RunCompleted');
    expect(await typesOf(b)).toEqual([
      'RunStarted',
      'TaskDispatched',
      'TimerScheduled',
      'StepAttemptStarted',
      'StepAttemptSucceeded',
      'StepSucceeded',
      'TaskDispatched',
      'TimerScheduled',
    ]);
  });

  it('refuses a message that is not JSON, or has no run id, as poison', async () => {
    await expect(processor().processBatch(batch(message(Topics.commands, '{nope')))).rejects.toBeInstanceOf(
      PoisonMessageError,
    );
    await expect(
      processor().processBatch(batch(message(Topics.commands, { type: 'StartRun' }))),
    ).rejects.toThrow(/has no runId/);
    await expect(
      processor().processBatch(batch(message(Topics.commands, { type: 'Explode', runId: 'r' }))),
    ).rejects.toThrow(/unknown command type "Explode"/);
  });

  it('tells the schedule when its start is refused (unknown workflow) and writes nothing', async () => {
    const told: Parameters<ScheduledStartListener>[0][] = [];
    const runId = randomUUID();
    await processor(async (finished) => void told.push(finished)).processBatch(
      batch(
        message(
          Topics.commands,
          start(runId, {
            workflow: { name: 'no-such-workflow', version: 1 },
            idempotencyKey: 'nightly:2026-04-01T09:00:00.000Z',
            labels: { [SCHEDULE_LABEL]: 'nightly' },
          }),
        ),
      ),
    );

    expect(told).toEqual([
      {
        scheduleId: 'nightly',
        idempotencyKey: 'nightly:2026-04-01T09:00:00.000Z',
        runId,
        outcome: 'refused',
      },
    ]);
    await expect(store.readStream(`run-${runId}`)).rejects.toMatchObject({ code: 'STREAM_NOT_FOUND' });
  });

  it('a partition that moves away and back is decided on its stream, not on the state cached before', async () => {
    const runId = randomUUID();
    const [first, second] = [processor(), processor()];
    const partitions = [Topics.commands, Topics.taskResults].map((topic) => ({ topic, partition: 0 }));
    const moved = (from: RunCommandProcessor, to: RunCommandProcessor) => {
      from.onAssignmentChange({ assigned: [], revoked: partitions });
      to.onAssignmentChange({ assigned: partitions, revoked: [] });
    };

    await first.processBatch(batch(message(Topics.commands, start(runId))));
    moved(first, second);
    await second.processBatch(batch(message(Topics.taskResults, succeeded(runId, 'one'))));
    moved(second, first);
    await first.processBatch(batch(message(Topics.taskResults, succeeded(runId, 'two'))));

    expect((await typesOf(runId)).at(-1)).toBe('RunCompleted');
  });
});
