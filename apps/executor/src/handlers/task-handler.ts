import type { TaskDispatch } from '@spark/contracts';
import type { Logger } from 'pino';

/** What a handler gets besides the dispatch: everything it needs to be cancellable and observable. */
export interface TaskContext {
  /** Aborts on the start-to-close timeout, on cancellation and on executor shutdown. */
  signal: AbortSignal;
  /** Reports progress; throttled before it reaches Kafka, so call it as often as convenient. */
  heartbeat(progress?: unknown): void;
  /** `runId:stepId:attempt`: pass it on to the target (e.g. the `Idempotency-Key` header). */
  idempotencyKey: string;
  logger: Logger;
}

/** Executes one kind of step. Resolves with the step's output; rejects with a TaskExecutionError. */
export interface TaskHandler {
  readonly name: string;
  execute(dispatch: TaskDispatch, context: TaskContext): Promise<unknown>;
}
