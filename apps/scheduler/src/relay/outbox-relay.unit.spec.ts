import { randomUUID } from 'node:crypto';
import {
  DEFAULT_TASK_QUEUE,
  SCHEDULE_LABEL,
  type StartRunCommand,
  taskTopic,
  Topics,
} from '@spark/contracts';
import { type AppendedStream, DeciderRepository, WorkflowCatalog } from '@spark/engine';
import { InMemoryEventStore } from '@spark/event-store/testing';
import { type KafkaMessaging, type OutgoingMessage } from '@spark/messaging';
import { runDecider, type RunCommand, type RunEvent, type RunState } from '@spark/workflow-domain';
import pino from 'pino';
import { RunCommandProcessor } from '../run-commands';
import { kafkaMessage, registerChain, startChain, stepSucceeded } from '../test-support';
import { type ScheduleFiring, type ScheduleTimerStore } from '../schedules';
import { type TimerPoller, type TimerStore, type TimerWrites } from '../timers';
import { OutboxRelay } from './outbox-relay';
import { type RelayCheckpoint } from './relay-checkpoint';

// The relay follows the in-memory event store; what it hands on (Kafka sends, timer rows, schedule
// commands) is recorded by small in-memory stand-ins of those narrow surfaces.
class RecordingKafka {
  readonly sent: { topic: string; message: OutgoingMessage }[] = [];
  failures = 0;
  async ensureTopics(): Promise<void> {}
  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('broker away');
    }
    for (const message of messages) this.sent.push({ topic, message });
  }
  valuesOn(topic: string): Record<string, unknown>[] {
    return this.sent
      .filter((entry) => entry.topic === topic)
      .map((entry) => JSON.parse(String(entry.message.value)) as Record<string, unknown>);
  }
}

class MemoryCheckpoint {
  position?: bigint;
  async load(): Promise<bigint | undefined> {
    return this.position;
  }
  async save(position: bigint): Promise<void> {
    this.position = position;
  }
}

async function eventually(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('OutboxRelay', () => {
  const now = new Date('2026-04-01T09:00:00.000Z');
  const queue = taskTopic(DEFAULT_TASK_QUEUE);
  let store: InMemoryEventStore;
  let kafka: RecordingKafka;
  let checkpoint: MemoryCheckpoint;
  let timerWrites: TimerWrites[];
  let finishedRuns: Parameters<ScheduleFiring['recordRunFinished']>[0][];
  let relays: OutboxRelay[];
  let offset = 0;

  beforeEach(async () => {
    store = new InMemoryEventStore();
    kafka = new RecordingKafka();
    checkpoint = new MemoryCheckpoint();
    timerWrites = [];
    finishedRuns = [];
    relays = [];
    await registerChain(store, now);
  });
  afterEach(async () => {
    for (const relay of relays) await relay.stop();
  });

  const startRelay = async (): Promise<OutboxRelay> => {
    const poller = { nudge: () => undefined, nudgeForEarliest: () => undefined } as unknown as TimerPoller;
    const relay = new OutboxRelay(
      store,
      kafka as unknown as KafkaMessaging,
      checkpoint as unknown as RelayCheckpoint,
      { apply: async (writes: TimerWrites) => void timerWrites.push(writes) } as unknown as TimerStore,
      poller,
      pino({ level: 'silent' }),
      {
        timers: { apply: async () => undefined } as unknown as ScheduleTimerStore,
        poller,
        firing: {
          recordRunsFinished: async (finished: typeof finishedRuns) => void finishedRuns.push(...finished),
        } as unknown as ScheduleFiring,
      },
      () => now,
    );
    relays.push(relay);
    await relay.start();
    return relay;
  };
  const deliver = async (
    topic: string,
    value: unknown,
    onAppended?: (streams: AppendedStream[]) => void,
    into: InMemoryEventStore = store,
  ) => {
    const processor = new RunCommandProcessor(
      new DeciderRepository<RunState, RunCommand, RunEvent>(into, runDecider, (id) => `run-${id}`, {
        ...(onAppended ? { onAppended } : {}),
      }),
      new WorkflowCatalog(into),
      pino({ level: 'silent' }),
      () => now,
    );
    const message = kafkaMessage(topic, value, offset++, now);
    await processor.processBatch({ topic, partition: 0, messages: [message] });
  };
  const start = (runId: string, extra: Partial<StartRunCommand> = {}) =>
    deliver(Topics.commands, startChain(runId, now, extra));
  const succeed = (runId: string, stepId: string) =>
    deliver(Topics.taskResults, stepSucceeded(runId, stepId, now));
  const dispatchedSteps = (runId: string) =>
    kafka
      .valuesOn(queue)
      .filter((value) => value.runId === runId)
      .map((value) => value.idempotencyKey);

  it("publishes a run's dispatch to its queue, keyed by run id, and stores the dispatch's timeout timer", async () => {
    await startRelay();
    const runId = randomUUID();
    await start(runId);

    await eventually(() => dispatchedSteps(runId).length === 1, 'the first dispatch');
    expect(dispatchedSteps(runId)).toEqual([`${runId}:one:1`]);
    expect(kafka.sent.find((entry) => entry.topic === queue)!.message.key).toBe(runId);
    await eventually(() => timerWrites.some((writes) => writes.upserts.length > 0), 'a timer write');
    expect(timerWrites.flatMap((writes) => writes.upserts).map((timer) => timer.runId)).toContain(runId);
  });

  it('a relay that takes over resumes from the checkpoint: what was sent before is not sent again', async () => {
    const runId = randomUUID();
    const first = await startRelay();
    await start(runId);
    await eventually(() => dispatchedSteps(runId).length === 1, 'the first dispatch');
    await first.stop();
    relays = relays.filter((relay) => relay !== first);
    expect(checkpoint.position).toBe(store.events.at(-1)!.position);

    await succeed(runId, 'one');
    await startRelay();

    await eventually(() => dispatchedSteps(runId).length === 2, 'the second dispatch');
    expect(dispatchedSteps(runId)).toEqual([`${runId}:one:1`, `${runId}:two:1`]);
  });

  it('after a failed send it resumes from the last relayed event and sends the batch again', async () => {
    kafka.failures = 1;
    await startRelay();
    const runId = randomUUID();
    await start(runId);

    await eventually(() => dispatchedSteps(runId).length === 1, 'the dispatch after the retry', 5_000);
    expect(kafka.failures).toBe(0);
    expect(dispatchedSteps(runId)).toEqual([`${runId}:one:1`]);
  }, 10_000);

  it('tells the schedule when a run it started finishes', async () => {
    await startRelay();
    const runId = randomUUID();
    await start(runId, {
      idempotencyKey: 'nightly:2026-04-01T09:00:00.000Z',
      labels: { [SCHEDULE_LABEL]: 'nightly' },
    });
    await succeed(runId, 'one');
    await succeed(runId, 'two');

    await eventually(() => finishedRuns.length === 1, 'the schedule told');
    expect(finishedRuns).toEqual([
      {
        scheduleId: 'nightly',
        idempotencyKey: 'nightly:2026-04-01T09:00:00.000Z',
        runId,
        outcome: 'completed',
      },
    ]);
  });

  describe('dispatches of its own instance, handed ahead of the log (relayAhead)', () => {
    it('sends them at once, before the log brings them', async () => {
      const relay = await startRelay();
      // Appended to another store, so this relay's log never brings them: only relayAhead can send them.
      const elsewhere = new InMemoryEventStore();
      await registerChain(elsewhere, now);
      const handed: AppendedStream[][] = [];
      const runId = randomUUID();
      await deliver(Topics.commands, startChain(runId, now), (streams) => handed.push(streams), elsewhere);

      relay.relayAhead(handed.flat());
      await eventually(() => dispatchedSteps(runId).length === 1, 'the dispatch sent ahead');
      expect(dispatchedSteps(runId)).toEqual([`${runId}:one:1`]);
    });

    it('the log then brings them back: their timers are written, the dispatch is not sent twice', async () => {
      const relay = await startRelay();
      const runId = randomUUID();
      await deliver(Topics.commands, startChain(runId, now), (streams) => relay.relayAhead(streams));
      await deliver(Topics.taskResults, stepSucceeded(runId, 'one', now), (streams) =>
        relay.relayAhead(streams),
      );

      await eventually(() => relay.eventsRelayed >= 4, 'the log caught up with the appends');
      await eventually(() => dispatchedSteps(runId).length >= 2, 'both dispatches');
      expect(dispatchedSteps(runId)).toEqual([`${runId}:one:1`, `${runId}:two:1`]);
      expect(timerWrites.flatMap((writes) => writes.upserts).map((timer) => timer.runId)).toContain(runId);
    });

    it('a dispatch whose send ahead failed is sent when the log brings it', async () => {
      const relay = await startRelay();
      kafka.failures = 1;
      const runId = randomUUID();
      await deliver(Topics.commands, startChain(runId, now), (streams) => relay.relayAhead(streams));

      await eventually(() => dispatchedSteps(runId).length === 1, 'the dispatch, sent by the log');
      expect(kafka.failures).toBe(0);
      await eventually(() => relay.eventsRelayed >= 2, 'the log caught up');
      expect(dispatchedSteps(runId)).toEqual([`${runId}:one:1`]);
    });

    it("sends a schedule fire's StartRun at once, in the trace of the decision that fired it", async () => {
      const relay = await startRelay();
      const fire = {
        nominalTime: '2026-04-01T09:00:00.000Z',
        idempotencyKey: 'nightly:2026-04-01T09:00:00.000Z',
        workflow: { name: 'chain', version: 1 },
        input: { orderId: 7 },
        trigger: 'timer',
        firedAt: '2026-04-01T09:00:00.010Z',
      };
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      relay.relayAhead([
        {
          streamName: 'schedule-nightly',
          events: [{ id: randomUUID(), type: 'ScheduleFired', data: fire, metadata: { traceparent } }],
          firstRevision: 3n,
          position: 1_000_000n,
        },
      ]);

      await eventually(() => kafka.valuesOn(Topics.commands).length === 1, 'the StartRun sent ahead');
      expect(kafka.valuesOn(Topics.commands)[0]).toMatchObject({
        type: 'StartRun',
        idempotencyKey: fire.idempotencyKey,
        labels: { [SCHEDULE_LABEL]: 'nightly' },
      });
      expect(kafka.sent[0]!.message.headers).toMatchObject({ traceparent });
    });

    it('sends nothing ahead while it is not the relaying instance', async () => {
      const relay = await startRelay();
      await relay.stop();
      const elsewhere = new InMemoryEventStore();
      await registerChain(elsewhere, now);
      const handed: AppendedStream[][] = [];
      await deliver(
        Topics.commands,
        startChain(randomUUID(), now),
        (streams) => handed.push(streams),
        elsewhere,
      );

      relay.relayAhead(handed.flat());
      await new Promise((resolve) => setImmediate(resolve));
      expect(kafka.valuesOn(queue)).toEqual([]);
    });
  });
});
