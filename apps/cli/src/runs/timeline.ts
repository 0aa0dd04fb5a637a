import { type RunEvent } from '@spark/client';
import { isFinalRunEventType } from '@spark/workflow-domain';

/** Timers guard timeouts: bookkeeping, not progress; `--verbose` shows them. */
const BOOKKEEPING = ['TimerScheduled', 'TimerFired', 'TimerCancelled'];
export const isBookkeeping = (event: RunEvent): boolean => BOOKKEEPING.includes(event.type);
export const isFinalEvent = (event: RunEvent): boolean => isFinalRunEventType(event.type);

/** One line of a run's timeline: time since the first event, type, and what it is about. */
export function timelineLine(event: RunEvent, startedAt: number): string {
  const offset = Date.parse(event.recordedAt) - startedAt;
  return `  +${String(offset).padStart(6)} ms  ${event.type.padEnd(22)} ${eventDetail(event)}`.trimEnd();
}

export function eventDetail(event: RunEvent): string {
  const data = event.data ?? {};
  const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));
  const error = data.error as { code?: string; message?: string } | undefined;
  switch (event.type) {
    case 'RunStarted': {
      const workflow = data.workflow as { name?: string; version?: number } | undefined;
      return workflow ? `${text(workflow.name)} v${text(workflow.version)}` : '';
    }
    case 'TaskDispatched':
      return `${text(data.taskId)} (attempt ${text(data.attempt)}, ${text(data.handler)})`;
    case 'StepAttemptFailed':
      return `${text(data.taskId)} attempt ${text(data.attempt)}: ${text(error?.code)}${error?.message ? ` ${error.message}` : ''}`;
    case 'StepRetryScheduled':
      return `${text(data.taskId)} attempt ${text(data.attempt)} in ${text(data.delayMs)} ms`;
    case 'RunFailed':
    case 'StepFailed':
      return [text(data.stepId), error ? `${text(error.code)}: ${text(error.message)}` : '']
        .filter(Boolean)
        .join(' ');
    case 'RunCancelled':
      return text(data.reason);
    case 'RunResumed':
      return `attempt ${text(data.runAttempt)}${data.reason ? `: ${text(data.reason)}` : ''}`;
    case 'SignalReceived':
      return `${text(data.name)}${data.reason ? `: ${text(data.reason)}` : ''}`;
    default:
      return text(data.stepId ?? data.taskId ?? data.name ?? '');
  }
}
