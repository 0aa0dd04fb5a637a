import { DEFAULT_PRIORITY } from '../definition';
import { type ValidationProblem } from '../errors';

/**
 * Flow-control settings the engine does not enforce yet are refused rather than accepted and ignored
 * (issue 15). Step priorities travel with each dispatch but executors take tasks in dispatch order, so
 * any priority other than the default would promise an order nobody keeps.
 */
export const unenforcedFlowControlProblems = (value: unknown): ValidationProblem[] => {
  if (!isRecord(value) || !Array.isArray(value.steps)) return [];
  const problems: ValidationProblem[] = [];
  value.steps.forEach((step, index) => {
    if (!isRecord(step) || step.priority === undefined || step.priority === DEFAULT_PRIORITY) return;
    if (typeof step.priority !== 'number') return; // the schema reports the type
    problems.push({
      path: `$.steps[${index}].priority`,
      message: `step priorities are not enforced yet: tasks start in dispatch order; remove "priority" or leave it at ${DEFAULT_PRIORITY}`,
    });
  });
  return problems;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
