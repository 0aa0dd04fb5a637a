import { LRUCache } from 'lru-cache';
import { RUN_STREAM_PREFIX, SCHEDULE_LABEL, SCHEDULE_STREAM_PREFIX } from '@spark/contracts';
import { type AppendedStream } from '@spark/engine';
import { type EventStore, type EventSubscription, type RecordedEvent } from '@spark/event-store';
import { type KafkaMessaging } from '@spark/messaging';
import { type OutgoingMessage } from '@spark/messaging';
import { contextFromTraceparent, currentTraceparent, inSpan, SparkAttributes } from '@spark/telemetry';
import {
  CONCURRENCY_EVENT_TYPES,
  CONCURRENCY_STREAM_PREFIX,
  decodeRunEvent,
  RATE_LIMIT_EVENT_TYPES,
  RATE_LIMIT_STREAM_PREFIX,
  type RunStarted,
  START_CONTROL_EVENT_TYPES,
  START_CONTROL_STREAM_PREFIX,
} from '@spark/workflow-domain';
import type { Logger } from 'pino';
import {
  type ConcurrencyCoordinator,
  concurrencyEffectsOf,
  type ScopeCommand,
  scopeCommandOf,
  STEP_SLOT_STREAM_PREFIX,
  stepSlotCommandOf,
  stepSlotEffectsOf,
} from '../concurrency';
import { type FaultInjection } from '../faults';
import {
  type RateLimitCoordinator,
  rateLimitCommandOf,
  rateLimitEffectsOf,
  type RateLimitScopeCommand,
} from '../rate-limit';
import {
  type StartControlCoordinator,
  startControlCommandOf,
  startControlEffectsOf,
  type StartScopeCommand,
} from '../start-control';
import {
  type ScheduledRunFinished,
  type ScheduleFiring,
  ScheduleTimerWrites,
  type ScheduleTimerStore,
} from '../schedules';
import { type TimerPoller, type TimerStore, TimerWrites } from '../timers';
import { inBatches } from './in-batches';
import { type RelayCheckpoint } from './relay-checkpoint';
import { effectsOf, RELAYED_EVENT_TYPES, type RelayEffect, type RunFacts } from './run-event-effects';
import { RELAYED_SCHEDULE_EVENT_TYPES, scheduleEffectsOf } from './schedule-event-effects';

/** What the relay needs to carry out schedule events. */
export interface ScheduleRelayParts {
  timers: ScheduleTimerStore;
  poller: TimerPoller;
  firing: ScheduleFiring;
}

const CHECKPOINT_EVERY_MS = 100;
/** Most events relayed together: their Kafka messages go out in one send per topic. */
const MAX_BATCH = 500;

/**
 * What one batch of events comes to: Kafka messages per topic in relay order, the run timers' changes,
 * the schedule timers' changes (the newest per schedule: their rows are guarded by revision), and the
 * finished runs to record on their schedules (decided together, each schedule's in order).
 */
interface Outbox {
  messages: Map<string, { message: OutgoingMessage; value: unknown }[]>;
  timers: TimerWrites;
  scheduleTimers: ScheduleTimerWrites;
  runsFinished: ScheduledRunFinished[];
  /** Slot requests and releases for concurrency scopes, in relay order. */
  concurrency: ScopeCommand[];
  /** Start requests for debounce and throttle scopes, in relay order (docs/adr/0122). */
  startControl: StartScopeCommand[];
  /** Token requests for step rate-limit keys, in relay order (docs/adr/0123). */
  rateLimits: RateLimitScopeCommand[];
}

const MAX_CACHED_RUNS = 50_000;
/** Dispatches sent ahead that the log has not brought back yet (a bound: the log brings each one). */
const MAX_SENT_AHEAD = 100_000;

const emptyOutbox = (): Outbox => ({
  messages: new Map(),
  timers: new TimerWrites(),
  scheduleTimers: new ScheduleTimerWrites(),
  runsFinished: [],
  concurrency: [],
  startControl: [],
  rateLimits: [],
});

/**
 * The event store is the scheduler's outbox (docs/adr/0040): this relay follows the global log from
 * its checkpoint and carries out what run events ask for — dispatches to Kafka, timers into the
 * timer table, commands to child and parent runs. A crash anywhere between the scheduler's append
 * and these effects only delays them: the relay resumes from its checkpoint and repeats, and every
 * effect is safe to repeat. One instance relays at a time (leadership).
 */
export class OutboxRelay {
  private subscription?: EventSubscription;
  private loop?: Promise<void>;
  private runFacts = new LRUCache<string, RunFacts>({ max: MAX_CACHED_RUNS });
  private pendingCheckpoint?: bigint;
  private checkpointTimer?: NodeJS.Timeout;
  private readonly knownTopics = new Set<string>();
  private processed = 0;
  private lastRelayed?: bigint;
  private stopped = true;
  /** Dispatches sent ahead of the log (relayAhead), by event id: whether their send succeeded. */
  private readonly sentAhead = new LRUCache<string, Promise<boolean>>({ max: MAX_SENT_AHEAD });
  /** The position of the newest event the log-following loop has taken up. */
  private takenUpTo = -1n;

  constructor(
    private readonly store: EventStore,
    private readonly messaging: KafkaMessaging,
    private readonly checkpoint: RelayCheckpoint,
    private readonly timers: TimerStore,
    private readonly poller: TimerPoller,
    private readonly logger: Logger,
    private readonly schedules: ScheduleRelayParts,
    private readonly clock: () => Date = () => new Date(),
    private readonly faults?: FaultInjection,
    private readonly concurrency?: ConcurrencyCoordinator,
    private readonly startControl?: StartControlCoordinator,
    private readonly rateLimits?: RateLimitCoordinator,
  ) {}

  get eventsRelayed(): number {
    return this.processed;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.sentAhead.clear();
    this.takenUpTo = -1n;
    this.concurrency?.reset();
    this.startControl?.reset();
    this.rateLimits?.reset();
    this.checkpointTimer = setInterval(() => void this.flushCheckpoint(), CHECKPOINT_EVERY_MS);
    this.loop = this.followForever();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.close();
    await this.loop;
    clearInterval(this.checkpointTimer);
    await this.flushCheckpoint();
  }

  /** Follows the log; after a failure (Kafka or the database away) it resumes from the last relayed event. */
  private async followForever(): Promise<void> {
    while (!this.stopped) {
      try {
        const fromPosition = this.lastRelayed ?? (await this.checkpoint.load());
        this.logger.info(
          { fromPosition: fromPosition?.toString() ?? 'start' },
          'relay following the event store',
        );
        this.subscription = this.store.subscribeToAll({
          ...(fromPosition === undefined ? {} : { fromPosition }),
          filter: {
            streamNamePrefixes: [
              RUN_STREAM_PREFIX,
              SCHEDULE_STREAM_PREFIX,
              CONCURRENCY_STREAM_PREFIX,
              START_CONTROL_STREAM_PREFIX,
              RATE_LIMIT_STREAM_PREFIX,
            ],
            eventTypes: [
              ...RELAYED_EVENT_TYPES,
              ...RELAYED_SCHEDULE_EVENT_TYPES,
              ...CONCURRENCY_EVENT_TYPES,
              ...START_CONTROL_EVENT_TYPES,
              ...RATE_LIMIT_EVENT_TYPES,
            ],
          },
        });
        for await (const batch of inBatches(this.subscription, MAX_BATCH)) {
          this.takenUpTo = batch.at(-1)!.position;
          const outbox = emptyOutbox();
          for (const event of batch) await this.relay(event, outbox);
          await Promise.all([
            this.send(outbox),
            this.writeTimers(outbox.timers),
            this.applyScheduleEffects(outbox),
            this.concurrency?.decide(outbox.concurrency),
            this.startControl?.decide(outbox.startControl),
            this.rateLimits?.decide(outbox.rateLimits),
          ]);
          const last = batch.at(-1)!;
          this.lastRelayed = last.position;
          this.pendingCheckpoint = last.position;
          this.processed += batch.length;
        }
      } catch (error) {
        if (this.stopped) return;
        this.logger.error({ err: error }, 'relay failed; resuming in 1 s');
        await this.subscription?.close().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /**
   * Carries out one event's effects: timer and schedule effects at once, Kafka messages into the
   * outbox, sent for the whole batch before the checkpoint moves past it. A message carries the trace
   * context of its relay span.
   */
  private async relay(event: RecordedEvent, outbox: Outbox): Promise<void> {
    if (event.streamName.startsWith(SCHEDULE_STREAM_PREFIX)) return this.relaySchedule(event, outbox);
    if (event.streamName.startsWith(STEP_SLOT_STREAM_PREFIX))
      return this.applyInRelaySpan(event, stepSlotEffectsOf(event, this.clock()), outbox, {});
    if (event.streamName.startsWith(CONCURRENCY_STREAM_PREFIX))
      return this.applyInRelaySpan(event, concurrencyEffectsOf(event, this.clock()), outbox, {});
    if (event.streamName.startsWith(START_CONTROL_STREAM_PREFIX))
      return this.applyInRelaySpan(event, startControlEffectsOf(event, this.clock()), outbox, {});
    if (event.streamName.startsWith(RATE_LIMIT_STREAM_PREFIX))
      return this.applyInRelaySpan(event, rateLimitEffectsOf(event, this.clock()), outbox, {});
    if (!event.streamName.startsWith(RUN_STREAM_PREFIX)) return;
    const runId = event.streamName.slice(RUN_STREAM_PREFIX.length);
    if (event.type === 'RunStarted') this.remember(runId, (decodeRunEvent(event) as RunStarted).data);
    const facts = await this.factsOf(runId, event.type);
    const effects = await this.withoutWhatWentAhead(event, effectsOf(event, runId, facts, this.clock()));
    const slot = scopeCommandOf(event, runId, facts?.concurrency, this.clock());
    if (slot) outbox.concurrency.push(slot);
    const stepSlot = stepSlotCommandOf(event, runId, this.clock());
    if (stepSlot) outbox.concurrency.push(stepSlot);
    const start = startControlCommandOf(event, runId, this.clock());
    if (start) outbox.startControl.push(start);
    if (this.rateLimits) {
      const token = rateLimitCommandOf(event, runId, this.clock(), this.rateLimits.leadMs);
      if (token) outbox.rateLimits.push(token);
      this.noteTokenArrival(event, runId);
    }
    await this.applyInRelaySpan(event, effects, outbox, {
      [SparkAttributes.runId]: runId,
      ...(facts ? { [SparkAttributes.workflow]: facts.workflow.name } : {}),
    });
    if (event.type.startsWith('Run') && event.type !== 'RunStarted' && event.type !== 'RunResumed')
      this.runFacts.delete(runId);
  }

  /**
   * The task dispatches and schedule fires this instance has just appended, their messages sent now
   * rather than when the log brings them back (a NOTIFY and a read later, behind whatever the loop is
   * doing): the shortest path from a decision to its executor, or from a fire to its run. The log still
   * brings every event and the loop carries out the rest of its effects (timers, slots, schedules); a
   * message sent here is not sent again there, and one whose send failed is. Only while this instance relays (it is the leader); a stream the loop has already
   * taken up is left to it. Duplicates stay possible only where they were before: the loop may take up
   * a dispatch between its append and this call, and a crash repeats what the checkpoint had not passed.
   * A message sent here carries the trace context of the decision that appended its event, with no
   * `spark.relay` span of its own: it is sent within the decision's batch, so such a span would time
   * nothing but cost a span per dispatch (docs/adr/0043, last addendum).
   */
  relayAhead(streams: readonly AppendedStream[]): void {
    if (this.stopped) return;
    const outbox = emptyOutbox();
    const handed: RecordedEvent[] = [];
    for (const stream of streams) {
      if (stream.position <= this.takenUpTo) continue;
      stream.events.forEach((appended, index) => {
        const ahead = this.aheadOf(stream, appended, index);
        if (!ahead || this.sentAhead.has(ahead.event.id)) return;
        for (const effect of ahead.effects)
          if (effect.kind === 'publish') this.queue(effect, outbox, effect.headers.traceparent);
        handed.push(ahead.event);
      });
    }
    if (handed.length === 0) return;
    const sent = this.send(outbox).then(
      () => true,
      (error: unknown) => {
        this.logger.warn({ err: error }, 'could not send dispatches ahead; the log will bring them');
        return false;
      },
    );
    for (const event of handed) this.sentAhead.set(event.id, sent);
  }

  /**
   * An appended event that goes ahead, with its effects: a run's task dispatch (when its RunStarted is
   * known) and a schedule's fire (the StartRun of its run).
   */
  private aheadOf(
    stream: AppendedStream,
    appended: AppendedStream['events'][number],
    index: number,
  ): { event: RecordedEvent; effects: RelayEffect[] } | undefined {
    const id = appended.id;
    if (!id) return undefined;
    // Most appended events do not go ahead: the stored form is built only for those that do.
    const recorded = (): RecordedEvent => ({
      ...appended,
      id,
      metadata: appended.metadata ?? {},
      streamName: stream.streamName,
      revision: stream.firstRevision + BigInt(index),
      position: stream.position,
      recordedAt: this.clock(),
    });
    if (stream.streamName.startsWith(SCHEDULE_STREAM_PREFIX)) {
      if (appended.type !== 'ScheduleFired') return undefined;
      const scheduleId = stream.streamName.slice(SCHEDULE_STREAM_PREFIX.length);
      const event = recorded();
      return { event, effects: scheduleEffectsOf(event, scheduleId, this.clock()) };
    }
    if (!stream.streamName.startsWith(RUN_STREAM_PREFIX)) return undefined;
    const runId = stream.streamName.slice(RUN_STREAM_PREFIX.length);
    if (appended.type === 'RunStarted') this.remember(runId, (decodeRunEvent(recorded()) as RunStarted).data);
    const facts = this.runFacts.get(runId);
    if (appended.type !== 'TaskDispatched' || !facts) return undefined;
    const event = recorded();
    return { event, effects: effectsOf(event, runId, facts, this.clock()) };
  }

  private async relaySchedule(event: RecordedEvent, outbox: Outbox): Promise<void> {
    const scheduleId = event.streamName.slice(SCHEDULE_STREAM_PREFIX.length);
    const effects = await this.withoutWhatWentAhead(
      event,
      scheduleEffectsOf(event, scheduleId, this.clock()),
    );
    await this.applyInRelaySpan(event, effects, outbox, { [SparkAttributes.scheduleId]: scheduleId });
  }

  /** An event's effects less its messages, when relayAhead sent them. */
  private async withoutWhatWentAhead(event: RecordedEvent, effects: RelayEffect[]): Promise<RelayEffect[]> {
    const ahead = this.sentAhead.get(event.id);
    if (!ahead) return effects;
    this.sentAhead.delete(event.id);
    return (await ahead) ? effects.filter((effect) => effect.kind !== 'publish') : effects;
  }

  /**
   * The effects run in the trace of the decision that appended the event: in a `spark.relay` span
   * when they send something on (a message, a finished scheduled run), which carries that span. Timer
   * and bookkeeping effects get none: their rows take the event's own trace context, and a span each
   * would cost more than it tells (they are written per batch).
   */
  private async applyInRelaySpan(
    event: RecordedEvent,
    effects: RelayEffect[],
    outbox: Outbox,
    attributes: Record<string, string>,
  ): Promise<void> {
    if (effects.length === 0) return;
    if (!effects.some(sendsOn)) {
      for (const effect of effects) await this.apply(effect, outbox);
      return;
    }
    await inSpan(
      'spark.relay',
      {
        parent: contextFromTraceparent(event.metadata.traceparent),
        attributes: {
          ...attributes,
          [SparkAttributes.eventType]: event.type,
          [SparkAttributes.streamRevision]: Number(event.revision),
        },
      },
      async () => {
        for (const effect of effects) await this.apply(effect, outbox);
      },
    );
  }

  private async apply(effect: RelayEffect, outbox: Outbox): Promise<void> {
    switch (effect.kind) {
      case 'publish':
        this.queue(effect, outbox, currentTraceparent(effect.headers.traceparent));
        return;
      case 'upsertTimer':
        outbox.timers.upsert(effect);
        return;
      case 'removeTimer':
        outbox.timers.remove(effect.runId, effect.timerId);
        return;
      case 'removeRunTimers':
        outbox.timers.removeRun(effect.runId);
        return;
      case 'upsertScheduleTimer': {
        const { kind: _kind, ...timer } = effect;
        outbox.scheduleTimers.upsert(timer);
        return;
      }
      case 'removeScheduleTimer':
        outbox.scheduleTimers.remove(effect.scheduleId, effect.revision);
        return;
      case 'scheduledRunFinished': {
        const { kind: _kind, ...finished } = effect;
        // Recorded at the end of the batch, in the trace of the relay span it was decided in.
        const traceparent = currentTraceparent();
        outbox.runsFinished.push({ ...finished, ...(traceparent ? { traceparent } : {}) });
        return;
      }
      default: {
        const _exhaustive: never = effect;
        return _exhaustive;
      }
    }
  }

  /** A message into the outbox, carrying `traceparent` as its trace context. */
  private queue(
    effect: Extract<RelayEffect, { kind: 'publish' }>,
    outbox: Outbox,
    traceparent: string | undefined,
  ): void {
    this.faults?.beforePublish(effect.topic, effect.value);
    const queued = outbox.messages.get(effect.topic) ?? [];
    queued.push({
      message: {
        key: effect.key,
        value: JSON.stringify(effect.value),
        headers: { ...effect.headers, ...(traceparent ? { traceparent } : {}) },
      },
      value: effect.value,
    });
    outbox.messages.set(effect.topic, queued);
  }

  /** The batch's schedule timer changes in two statements, its finished runs in one decision batch. */
  private async applyScheduleEffects({ scheduleTimers, runsFinished }: Outbox): Promise<void> {
    await Promise.all([
      scheduleTimers.empty
        ? undefined
        : this.schedules.timers.apply(scheduleTimers).then(() => {
            this.schedules.poller.nudgeForEarliest(scheduleTimers.upserts.map((timer) => timer.fireAt));
          }),
      this.schedules.firing.recordRunsFinished(runsFinished),
    ]);
  }

  /** The batch's run timer changes in a few statements, then the poller hears of the earliest new one. */
  private async writeTimers(writes: TimerWrites): Promise<void> {
    if (writes.empty) return;
    await this.timers.apply(writes);
    this.poller.nudgeForEarliest(writes.upserts.map((timer) => timer.fireAt));
  }

  /** One send per topic (in parallel: a key's messages are all on one topic, in relay order). */
  private async send(outbox: Outbox): Promise<void> {
    await Promise.all(
      [...outbox.messages].map(async ([topic, queued]) => {
        if (!this.knownTopics.has(topic)) {
          await this.messaging.ensureTopics([{ name: topic, partitions: 6 }]);
          this.knownTopics.add(topic);
        }
        await this.messaging.publish(
          topic,
          queued.map((entry) => entry.message),
        );
        for (const entry of queued) this.faults?.afterPublish(topic, entry.value);
      }),
    );
  }

  /**
   * The run's answer to a rate-limit token is back in the log (its wait, with the timer beside it, or
   * its dispatch): the round trip the next tokens are decided ahead by (docs/adr/0123).
   */
  private noteTokenArrival(event: RecordedEvent, runId: string): void {
    if (event.type !== 'TaskWaitingForRateLimit' && event.type !== 'TaskDispatched') return;
    const { taskId, attempt } = event.data as { taskId: string; attempt: number };
    this.rateLimits?.tokenArrived(runId, taskId, attempt, this.clock());
  }

  /** RunStarted comes first in every run stream; after a restart mid-run it is read back once. */
  private async factsOf(runId: string, eventType: string): Promise<RunFacts | undefined> {
    if (eventType === 'TimerScheduled' || eventType === 'TimerFired') return undefined;
    const known = this.runFacts.get(runId);
    if (known) return known;
    const [first] = await this.store.readStream(`${RUN_STREAM_PREFIX}${runId}`, { maxCount: 1 });
    if (first?.type !== 'RunStarted') return undefined;
    return this.remember(runId, (decodeRunEvent(first) as RunStarted).data);
  }

  private remember(runId: string, started: RunStarted['data']): RunFacts {
    const scheduleId = started.labels?.[SCHEDULE_LABEL];
    const facts: RunFacts = {
      workflow: started.workflow,
      ...(started.parent ? { parent: started.parent } : {}),
      ...(scheduleId ? { schedule: { scheduleId, idempotencyKey: started.idempotencyKey } } : {}),
      ...(started.concurrency ? { concurrency: started.concurrency } : {}),
    };
    this.runFacts.set(runId, facts);
    return facts;
  }

  private async flushCheckpoint(): Promise<void> {
    const position = this.pendingCheckpoint;
    if (position === undefined) return;
    this.pendingCheckpoint = undefined;
    try {
      await this.checkpoint.save(position);
    } catch (error) {
      this.pendingCheckpoint ??= position;
      this.logger.warn({ err: error }, 'could not save the relay checkpoint; will retry');
    }
  }
}

/** An effect whose message or record carries the relay span's trace context on. */
function sendsOn(effect: RelayEffect): boolean {
  return effect.kind === 'publish' || effect.kind === 'scheduledRunFinished';
}
