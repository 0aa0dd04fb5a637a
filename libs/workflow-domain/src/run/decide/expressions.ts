import { evaluateExpression, evaluateTemplate } from '../../expressions';
import { RUN_ERROR_CODES, type RunError } from '../run-error';
import { type Run } from '../state';
import { type Decision } from './decision';

const contextOf = (run: Run, extra: Record<string, unknown> = {}) => ({
  input: run.input,
  steps: Object.fromEntries(
    Object.entries(run.steps).map(([id, step]) => [id, { status: step.status, output: step.output }]),
  ),
  run: { id: run.runId, startedAt: run.startedAt, attempt: run.runAttempt },
  ...extra,
});

export type Evaluated = { ok: true; value: unknown } | { ok: false; error: RunError };

const attempt = async (evaluate: () => Promise<unknown>, where: string): Promise<Evaluated> => {
  try {
    return { ok: true, value: await evaluate() };
  } catch (error) {
    return {
      ok: false,
      error: { code: RUN_ERROR_CODES.expression, message: `${where}: ${(error as Error).message}` },
    };
  }
};

/** Evaluates a JSONata expression over the run; a failure is a RunError naming `where`, not an exception. */
export const evaluate = (d: Decision, expression: string, where: string, extra?: Record<string, unknown>) =>
  attempt(() => evaluateExpression(expression, contextOf(d.run, extra), { now: d.now }), where);

export const evaluateTemplateIn = (
  d: Decision,
  template: unknown,
  where: string,
  extra?: Record<string, unknown>,
) => attempt(() => evaluateTemplate(template, contextOf(d.run, extra), { now: d.now }), where);
