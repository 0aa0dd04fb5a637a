import {
  type PublicEvent,
  type PublicEventPayloads,
  type PublicFireTrigger,
  type PublicScheduledRunOutcome,
  type PublicScheduleSpec,
  type PublicScheduleWorkflowRef,
  SCHEDULE_STREAM_PREFIX,
  scheduledRunId,
  SchedulePublicEventTypes,
} from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import {
  type FireTrigger,
  type ScheduledRunOutcome,
  type ScheduleEvent,
  type ScheduleSpec,
} from '@spark/workflow-domain';
import { publicEventOf } from './public-event-of';

type SchedulePublicEventType = (typeof SchedulePublicEventTypes)[keyof typeof SchedulePublicEventTypes];

const publicWorkflow = (workflow: { name: string; version?: number }): PublicScheduleWorkflowRef => ({
  name: workflow.name,
  ...(workflow.version === undefined ? {} : { version: workflow.version }),
});

function publicSpec(spec: ScheduleSpec): PublicScheduleSpec {
  switch (spec.kind) {
    case 'cron':
      return {
        kind: 'cron',
        expression: spec.expression,
        ...(spec.timezone === undefined ? {} : { timezone: spec.timezone }),
      };
    case 'interval':
      return {
        kind: 'interval',
        every: spec.every,
        ...(spec.anchor === undefined ? {} : { anchor: spec.anchor }),
      };
    case 'once':
      return { kind: 'once', at: spec.at };
    default: {
      const _exhaustive: never = spec;
      return _exhaustive;
    }
  }
}

// Spelled out, so a trigger or outcome the domain adds is a compile error here, not a silent schema break.
const PUBLIC_TRIGGERS: Record<FireTrigger, PublicFireTrigger> = {
  calendar: 'calendar',
  'catch-up': 'catch-up',
  manual: 'manual',
  buffered: 'buffered',
  backfill: 'backfill',
};
const PUBLIC_OUTCOMES: Record<ScheduledRunOutcome, PublicScheduledRunOutcome> = {
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  timedOut: 'timedOut',
  refused: 'refused',
};

/**
 * The public event (if any) for one schedule event, subject and key the schedule id. Timers and stop
 * requests are internal bookkeeping and have none.
 */
export function toPublicScheduleEvent(recorded: RecordedEvent): PublicEvent | undefined {
  if (!recorded.streamName.startsWith(SCHEDULE_STREAM_PREFIX)) return undefined;
  const scheduleId = recorded.streamName.slice(SCHEDULE_STREAM_PREFIX.length);
  const event = { type: recorded.type, data: recorded.data } as unknown as ScheduleEvent;
  const make = <T extends SchedulePublicEventType>(
    type: T,
    data: Omit<PublicEventPayloads[T], 'scheduleId'>,
  ): PublicEvent =>
    publicEventOf(recorded, type, scheduleId, { scheduleId, ...data } as PublicEventPayloads[T]);
  const types = SchedulePublicEventTypes;
  switch (event.type) {
    case 'ScheduleCreated': {
      const { schedule, createdAt } = event.data;
      return make(types.scheduleCreated, {
        workflow: publicWorkflow(schedule.workflow),
        spec: publicSpec(schedule.spec),
        createdAt,
      });
    }
    case 'ScheduleUpdated': {
      const { schedule, updatedAt } = event.data;
      return make(types.scheduleUpdated, {
        workflow: publicWorkflow(schedule.workflow),
        spec: publicSpec(schedule.spec),
        updatedAt,
      });
    }
    case 'SchedulePaused':
      return make(types.schedulePaused, {
        ...(event.data.reason === undefined ? {} : { reason: event.data.reason }),
        pausedAt: event.data.pausedAt,
      });
    case 'ScheduleResumed':
      return make(types.scheduleResumed, { resumedAt: event.data.resumedAt });
    case 'ScheduleDeleted':
      return make(types.scheduleDeleted, { deletedAt: event.data.deletedAt });
    case 'ScheduleExhausted':
      return make(types.scheduleExhausted, { at: event.data.at });
    case 'ScheduleFired': {
      const { nominalTime, idempotencyKey, workflow, trigger, firedAt } = event.data;
      return make(types.scheduleFired, {
        nominalTime,
        runId: scheduledRunId(idempotencyKey),
        workflow: publicWorkflow(workflow),
        trigger: PUBLIC_TRIGGERS[trigger],
        firedAt,
      });
    }
    case 'ScheduleFireSkipped':
      return make(types.scheduleSkipped, {
        nominalTime: event.data.nominalTime,
        reason: event.data.reason,
        at: event.data.at,
      });
    case 'ScheduleFireBuffered':
      return make(types.scheduleBuffered, {
        nominalTime: event.data.nominalTime,
        trigger: PUBLIC_TRIGGERS[event.data.trigger],
        at: event.data.at,
      });
    case 'ScheduleFiresMissed':
      return make(types.scheduleMissed, {
        from: event.data.from,
        before: event.data.before,
        at: event.data.at,
      });
    case 'ScheduleBackfillRequested': {
      const { from, to, fires, at } = event.data;
      return make(types.scheduleBackfillRequested, { from, to, fires, at });
    }
    case 'ScheduledRunFinished': {
      const { idempotencyKey, runId, outcome, at } = event.data;
      // An outcome newer than this projector is left out rather than published off-schema.
      const publicOutcome = outcome === undefined ? undefined : PUBLIC_OUTCOMES[outcome];
      return make(types.scheduleRunFinished, {
        runId: runId ?? scheduledRunId(idempotencyKey),
        ...(publicOutcome === undefined ? {} : { outcome: publicOutcome }),
        at,
      });
    }
    default:
      return undefined;
  }
}
