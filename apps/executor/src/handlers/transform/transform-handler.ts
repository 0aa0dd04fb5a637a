import type { TaskDispatch } from '@spark/contracts';
import jsonata from 'jsonata';
import { ConfigFields } from '../config-fields';
import { TaskExecutionError } from '../task-execution-error';
import type { TaskContext, TaskHandler } from '../task-handler';

export interface TransformLimits {
  /** JSONata runs on the event loop: a runaway expression is stopped after this long. */
  timeoutMs: number;
  maxDepth: number;
}

const DEFAULT_LIMITS: TransformLimits = { timeoutMs: 1000, maxDepth: 500 };

/** Evaluates `config.expression` (JSONata) over `{input, config}`; the result is the step's output. */
export class TransformHandler implements TaskHandler {
  readonly name = 'transform';

  constructor(private readonly limits: TransformLimits = DEFAULT_LIMITS) {}

  async execute(dispatch: TaskDispatch, _context: TaskContext): Promise<unknown> {
    const fields = new ConfigFields(this.name, dispatch.config);
    const source = fields.requiredString('expression');
    let expression: jsonata.Expression;
    try {
      expression = jsonata(source, { timeout: this.limits.timeoutMs, stack: this.limits.maxDepth });
    } catch (error) {
      throw TaskExecutionError.nonRetryable(
        'INVALID_EXPRESSION',
        `transform step: ${jsonataMessage(error)}`,
        {
          position: (error as { position?: number }).position,
        },
      );
    }
    try {
      return await expression.evaluate({ input: dispatch.input, config: dispatch.config });
    } catch (error) {
      throw TaskExecutionError.nonRetryable('TRANSFORM_FAILED', `transform step: ${jsonataMessage(error)}`, {
        code: (error as { code?: string }).code,
      });
    }
  }
}

/** JSONata throws plain objects with `message` and `code`, not Errors. */
function jsonataMessage(error: unknown): string {
  const { message, code } = (error ?? {}) as { message?: string; code?: string };
  return message ?? code ?? String(error);
}
