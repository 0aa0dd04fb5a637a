import {
  type CancelRunCommand,
  SCHEDULE_LABEL,
  scheduledRunId,
  type StartRunCommand,
  Topics,
} from '@spark/contracts';
import { type RecordedEvent } from '@spark/event-store';
import { type ScheduleEvent } from '@spark/workflow-domain';
import { type RelayEffect } from './run-event-effects';

/** The schedule events the relay acts on. */
export const RELAYED_SCHEDULE_EVENT_TYPES = [
  'ScheduleTimerSet',
  'SchedulePaused',
  'ScheduleDeleted',
  'ScheduleExhausted',
  'ScheduleFired',
  'ScheduledRunStopRequested',
] as const satisfies readonly ScheduleEvent['type'][];

/**
 * What one stored schedule event asks for outside the event store: its timer armed or disarmed, a
 * run started (run id and idempotency key from the fire's nominal time, so repeating it is harmless),
 * a running run asked to stop. Pure, like the run effects.
 */
export function scheduleEffectsOf(event: RecordedEvent, scheduleId: string, now: Date): RelayEffect[] {
  const headers: Record<string, string> = event.metadata.traceparent
    ? { traceparent: event.metadata.traceparent }
    : {};
  const issuedAt = now.toISOString();
  const domainEvent = { type: event.type, data: event.data } as unknown as ScheduleEvent;
  switch (domainEvent.type) {
    case 'ScheduleTimerSet':
      return [
        {
          kind: 'upsertScheduleTimer',
          scheduleId,
          nominalTime: domainEvent.data.nominalTime,
          fireAt: new Date(domainEvent.data.fireAt),
          revision: event.revision,
          ...(headers.traceparent ? { traceparent: headers.traceparent } : {}),
        },
      ];
    case 'SchedulePaused':
    case 'ScheduleDeleted':
    case 'ScheduleExhausted':
      return [{ kind: 'removeScheduleTimer', scheduleId, revision: event.revision }];
    case 'ScheduleFired': {
      const { idempotencyKey, workflow, input } = domainEvent.data;
      const runId = scheduledRunId(idempotencyKey);
      const start: StartRunCommand = {
        type: 'StartRun',
        commandId: `${event.id}:start`,
        runId,
        issuedAt,
        workflow,
        input: input ?? null,
        idempotencyKey,
        labels: { [SCHEDULE_LABEL]: scheduleId },
      };
      return [{ kind: 'publish', topic: Topics.commands, key: runId, value: start, headers }];
    }
    case 'ScheduledRunStopRequested': {
      const { idempotencyKey, mode } = domainEvent.data;
      const runId = scheduledRunId(idempotencyKey);
      const cancel: CancelRunCommand = {
        type: 'CancelRun',
        commandId: `${event.id}:stop`,
        runId,
        issuedAt,
        reason: `schedule ${scheduleId}: a newer fire asked it to ${mode} (overlap policy)`,
      };
      return [{ kind: 'publish', topic: Topics.commands, key: runId, value: cancel, headers }];
    }
    default:
      return [];
  }
}
