import { type RunStatusName } from '@spark/contracts';
import { type RunStatusView } from '@spark/read-model';

/** API run statuses (REST and gRPC) ↔ the read model's (the domain's). PENDING exists only in the API. */
const TO_VIEW: Record<RunStatusName, RunStatusView | undefined> = {
  PENDING: undefined,
  RUNNING: 'running',
  COMPENSATING: 'compensating',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TIMED_OUT: 'timedOut',
};
const FROM_VIEW = Object.fromEntries(Object.entries(TO_VIEW).map(([name, view]) => [view, name])) as Record<
  RunStatusView,
  RunStatusName
>;

export const statusView = (status: RunStatusName): RunStatusView | undefined => TO_VIEW[status];
export const statusName = (view: RunStatusView): RunStatusName => FROM_VIEW[view];
