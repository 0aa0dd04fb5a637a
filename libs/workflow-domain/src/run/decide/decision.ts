import { type WorkflowDefinition } from '@spark/contracts';

import { IllegalStateError } from '../../errors';
import { type Instant } from '../../time';
import { type RunEvent } from '../events';
import { evolve } from '../evolve';
import { isFinal, type Run, type RunState } from '../state';

/** Accumulates the events of one decision, applying each to the working state so later rules see it. */
export class Decision {
  readonly events: RunEvent[] = [];

  constructor(
    public run: Run,
    readonly now: Instant,
  ) {}

  emit(...events: RunEvent[]): void {
    for (const event of events) {
      this.events.push(event);
      this.run = evolve(this.run, event) as Run;
    }
  }

  get definition(): WorkflowDefinition {
    return this.run.definition;
  }
}

export const onLiveRun = async (
  state: RunState,
  now: Instant,
  handle: (d: Decision) => Promise<void>,
): Promise<RunEvent[]> => {
  if (state.status === 'notStarted' || isFinal(state)) return [];
  const d = new Decision(state, now);
  await handle(d);
  return d.events;
};

export const requireStarted = (state: RunState): Run => {
  if (state.status === 'notStarted') throw new IllegalStateError('the run does not exist', 'RUN_NOT_STARTED');
  return state;
};

export const succeeded = (d: Decision, stepId: string, output: unknown, signalId?: string): RunEvent => ({
  type: 'StepSucceeded',
  data: { stepId, output, ...(signalId === undefined ? {} : { signalId }), at: d.now },
});

export const nextAttempt = (run: Run, taskId: string): number => (run.attempts[taskId] ?? 0) + 1;
