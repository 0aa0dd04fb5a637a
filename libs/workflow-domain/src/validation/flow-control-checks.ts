import { DEFAULT_PRIORITY } from '../definition';
import { type ValidationProblem } from '../errors';

/**
 * Flow-control settings the engine does not enforce are refused rather than accepted and ignored
 * (issue 15). Priorities are kept by Spark's executors (priority lanes, docs/adr/0121); other teams'
 * workers read `spark.tasks.external.<name>` in dispatch order, so a priority there would promise an
 * order nobody keeps.
 */
export const unenforcedFlowControlProblems = (value: unknown): ValidationProblem[] => {
  if (!isRecord(value) || !Array.isArray(value.steps)) return [];
  const problems: ValidationProblem[] = [];
  value.steps.forEach((step, index) => {
    if (!isRecord(step) || step.priority === undefined || step.priority === DEFAULT_PRIORITY) return;
    if (typeof step.priority !== 'number') return; // the schema reports the type
    const external = externalHandlerOf(step);
    if (!external) return;
    problems.push({
      path: `$.steps[${index}].priority`,
      message: `priorities are not kept for external workers (handler "${external}" reads its queue in dispatch order); remove "priority" or leave it at ${DEFAULT_PRIORITY}`,
    });
  });
  return problems;
};

/** The `external:<name>` handler a step's tasks go to (its own, its map task's or its compensation's). */
const externalHandlerOf = (step: Record<string, unknown>): string | undefined =>
  [
    step.handler,
    isRecord(step.task) ? step.task.handler : undefined,
    isRecord(step.compensate) ? step.compensate.handler : undefined,
  ].find((handler): handler is string => typeof handler === 'string' && handler.startsWith('external:'));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
