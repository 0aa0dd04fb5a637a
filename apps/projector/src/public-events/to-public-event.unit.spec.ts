import fs from 'node:fs';
import path from 'node:path';
import {
  fromCloudEventMessage,
  PUBLIC_EVENT_TYPES,
  toCloudEventMessage,
  type PublicEvent,
} from '@spark/contracts';
import { scheduledRunId } from '@spark/contracts';
import { EventLog } from '@spark/read-model/testing';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { toPublicEvent } from './to-public-event';

const contractsDir = path.join(__dirname, '../../../../libs/contracts/src/public-events');
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const validators = new Map(
  PUBLIC_EVENT_TYPES.map((type) => {
    const schema = JSON.parse(
      fs.readFileSync(path.join(contractsDir, 'schemas', `${type}.schema.json`), 'utf8'),
    );
    return [type, ajv.compile(schema)];
  }),
);
const workflow = { name: 'orders', version: 3 };

/** A log with every kind of run event that has a public counterpart. */
function everything(): EventLog {
  const log = new EventLog().retriedRun('r1', 'orders', 3, 0).failedRun('r2', 'orders', 3, 1000);
  log.add(
    'run-r3',
    'RunStarted',
    {
      runId: 'r3',
      workflow,
      definition: {},
      input: null,
      idempotencyKey: 'k',
      seed: 's',
      parent: { runId: 'r1', stepId: 'x' },
      startedAt: log.at(2000),
    },
    2000,
  );
  log.add('run-r3', 'StepSkipped', { stepId: 'b', reason: 'condition-false' }, 2001);
  log.add(
    'run-r3',
    'StepCancelled',
    { stepId: 'c', reason: 'run cancelled', tasks: [], at: log.at(2002) },
    2002,
  );
  log.add(
    'run-r3',
    'RunCompensating',
    { error: { code: 'E', message: 'm' }, failedStep: 'c', steps: ['a'], at: log.at(2003) },
    2003,
  );
  log.add('run-r3', 'RunCancelled', { reason: 'asked', cancelledAt: log.at(2004) }, 2004);
  log.add('run-r3', 'RunResumed', { runAttempt: 2, resetSteps: ['c'], resumedAt: log.at(2005) }, 2005);
  log.add('run-r3', 'RunTimedOut', { timedOutAt: log.at(2006) }, 2006);
  log.scheduleLifecycle('s1', 3000).scheduleCreated('s2', 'orders', 4000);
  const cron = { spec: { kind: 'cron', expression: '0 9 * * 1-5', timezone: 'Europe/Paris' }, workflow };
  log.add('schedule-s2', 'ScheduleUpdated', { schedule: cron, updatedAt: log.at(4001) }, 4001);
  log.add('schedule-s2', 'ScheduleExhausted', { at: log.at(4002) }, 4002);
  log.add('schedule-s2', 'ScheduleDeleted', { deletedAt: log.at(4003) }, 4003);
  return log;
}

describe('toPublicEvent', () => {
  const log = everything();
  const published = log.events.flatMap((event) => toPublicEvent(event, workflow) ?? []);

  it('gives every public type at least once, each payload valid against its JSON Schema', () => {
    expect(new Set(published.map((event) => event.type))).toEqual(new Set(PUBLIC_EVENT_TYPES));
    for (const event of published) {
      const validate = validators.get(event.type)!;
      expect({ type: event.type, valid: validate(event.data), errors: validate.errors ?? null }).toEqual({
        type: event.type,
        valid: true,
        errors: null,
      });
    }
  });

  it('carries the run as subject, the event id as ce_id, and the trace', () => {
    const event = {
      ...log.events[0]!,
      metadata: { traceparent: '00-' + 'a'.repeat(32) + '-' + 'b'.repeat(16) + '-01' },
    };
    const published = toPublicEvent(event, workflow)!;
    expect(published).toEqual({
      id: event.id,
      type: 'spark.run.started.v1',
      subject: 'r1',
      time: log.at(0),
      traceparent: event.metadata.traceparent,
      data: { runId: 'r1', workflow, input: { n: 1 }, startedAt: log.at(0) },
    });
  });

  it('publishes nothing for internal bookkeeping, other streams, or runs the read model does not know', () => {
    const internal = log.events.filter((e) =>
      ['TaskDispatched', 'StepAttemptStarted', 'StepAttemptSucceeded'].includes(e.type),
    );
    expect(internal.map((e) => toPublicEvent(e, workflow))).toEqual(internal.map(() => undefined));
    expect(toPublicEvent(new EventLog().workflow('w', 1).events[0]!, workflow)).toBeUndefined();
    expect(toPublicEvent(log.events[0]!, undefined)).toBeUndefined();
  });

  it('becomes a CloudEvents binary-mode Kafka message and back', () => {
    const event: PublicEvent = published.find((e) => e.type === 'spark.run.completed.v1')!;
    const message = toCloudEventMessage({ ...event, traceparent: 'tp' });
    expect(message.key).toBe('r1');
    expect(message.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_type: 'spark.run.completed.v1',
      ce_source: '/spark/runs',
      ce_subject: 'r1',
      ce_time: event.time,
      'content-type': 'application/json',
      traceparent: 'tp',
    });
    expect(fromCloudEventMessage({ headers: message.headers, value: Buffer.from(message.value) })).toEqual({
      ...event,
      traceparent: 'tp',
    });
  });
});

describe('toPublicEvent for schedules', () => {
  const log = everything();
  const ofSchedule = (id: string) =>
    log.events
      .filter((event) => event.streamName === `schedule-${id}`)
      .flatMap((event) => toPublicEvent(event, undefined) ?? []);

  it('publishes what happens to a schedule, in order, leaving timers out', () => {
    expect(ofSchedule('s1').map((event) => event.type.replace(/^spark\.schedule\.|\.v1$/g, ''))).toEqual([
      'created',
      'fired',
      'buffered',
      'skipped',
      'run_finished',
      'fired',
      'run_finished',
      'backfill_requested',
      'fired',
      'fired',
      'run_finished',
      'run_finished',
      'paused',
      'resumed',
      'missed',
      'fired',
      'backfill_requested',
      'fired',
    ]);
    expect(ofSchedule('s2').map((event) => event.type)).toEqual([
      'spark.schedule.created.v1',
      'spark.schedule.updated.v1',
      'spark.schedule.exhausted.v1',
      'spark.schedule.deleted.v1',
    ]);
  });

  it('names the run a fire starts, with the schedule as subject and Kafka key', () => {
    const fired = log.events.find((e) => e.streamName === 'schedule-s1' && e.type === 'ScheduleFired')!;
    const key = `s1:${log.at(63_000)}`;
    const published = toPublicEvent(fired, undefined)!;
    expect(published).toEqual({
      id: fired.id,
      type: 'spark.schedule.fired.v1',
      subject: 's1',
      time: log.at(63_001),
      data: {
        scheduleId: 's1',
        nominalTime: log.at(63_000),
        runId: scheduledRunId(key),
        workflow: { name: 'orders' },
        trigger: 'calendar',
        firedAt: log.at(63_001),
      },
    });
    const message = toCloudEventMessage(published);
    expect(message.key).toBe('s1');
    expect(message.headers).toEqual(
      expect.objectContaining({ ce_source: '/spark/schedules', ce_subject: 's1', ce_type: published.type }),
    );
    expect(JSON.parse(message.value)).not.toHaveProperty('input');
  });

  it('reports finished runs with their id and outcome, leaving out an outcome it does not know', () => {
    const finished = ofSchedule('s1').filter((event) => event.type === 'spark.schedule.run_finished.v1');
    expect(finished.map((event) => event.data)).toEqual([
      {
        scheduleId: 's1',
        runId: scheduledRunId(`s1:${log.at(63_000)}`),
        outcome: 'completed',
        at: log.at(193_000),
      },
      {
        scheduleId: 's1',
        runId: scheduledRunId(`s1:${log.at(123_000)}`),
        outcome: 'failed',
        at: log.at(203_000),
      },
      {
        scheduleId: 's1',
        runId: scheduledRunId(`s1:${log.at(63_000)}`),
        outcome: 'refused',
        at: log.at(214_000),
      },
      { scheduleId: 's1', runId: scheduledRunId(`s1:${log.at(123_000)}`), at: log.at(215_000) },
    ]);
    const future = new EventLog();
    future.add(
      'schedule-s9',
      'ScheduledRunFinished',
      { idempotencyKey: 'k', runId: 'r', outcome: 'vanished', at: future.at(1) },
      1,
    );
    expect(toPublicEvent(future.events[0]!, undefined)!.data).toEqual({
      scheduleId: 's9',
      runId: 'r',
      at: future.at(1),
    });
  });

  it('gives the public form of the spec and workflow, never the whole definition', () => {
    const updated = ofSchedule('s2').find((event) => event.type === 'spark.schedule.updated.v1')!;
    expect(updated.data).toEqual({
      scheduleId: 's2',
      workflow,
      spec: { kind: 'cron', expression: '0 9 * * 1-5', timezone: 'Europe/Paris' },
      updatedAt: log.at(4001),
    });
    const created = ofSchedule('s1')[0]!;
    expect(created.data).toEqual({
      scheduleId: 's1',
      workflow: { name: 'orders' },
      spec: { kind: 'interval', every: '1m' },
      createdAt: log.at(3000),
    });
  });
});

describe('AsyncAPI document', () => {
  const doc = JSON.parse(fs.readFileSync(path.join(contractsDir, 'asyncapi.json'), 'utf8'));

  it('is AsyncAPI 3 with one message per public type, each pointing at an existing schema', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.channels.sparkEvents.address).toBe('spark.events.v1');
    const messages = Object.values(doc.components.messages) as { name: string; payload: { $ref: string } }[];
    expect(messages.map((m) => m.name).sort()).toEqual([...PUBLIC_EVENT_TYPES].sort());
    for (const message of messages)
      expect(fs.existsSync(path.join(contractsDir, message.payload.$ref))).toBe(true);
  });
});
