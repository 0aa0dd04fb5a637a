import jsonata from 'jsonata';
import { LRUCache } from 'lru-cache';

import { type Instant, toMillis } from '../time';

export interface ExpressionSyntaxProblem {
  message: string;
  position?: number;
}

/** What an expression can see besides its data: time comes from the command, never the clock. */
export interface EvaluationEnvironment {
  now: Instant;
}

export class ExpressionEvaluationError extends Error {
  constructor(
    readonly expression: string,
    message: string,
  ) {
    super(`expression "${expression}" failed: ${message}`);
    this.name = 'ExpressionEvaluationError';
  }
}

// Compiled expressions are immutable ASTs; caching them is safe and saves re-parsing on every decision.
const compiled = new LRUCache<string, jsonata.Expression>({ max: 10_000 });

const compile = (expression: string): jsonata.Expression => {
  let result = compiled.get(expression);
  if (!result) {
    result = jsonata(expression);
    compiled.set(expression, result);
  }
  return result;
};

export const checkExpressionSyntax = (expression: string): ExpressionSyntaxProblem | undefined => {
  try {
    compile(expression);
    return undefined;
  } catch (error) {
    const { message, position } = error as { message?: string; position?: number };
    return { message: message ?? String(error), ...(position === undefined ? {} : { position }) };
  }
};

/**
 * Evaluates a JSONata expression. `$now()` and `$millis()` answer the command's time and `$random()` is refused,
 * so the same inputs always give the same result. The result is plain JSON (JSONata sequences are unwrapped,
 * `undefined` stays `undefined`).
 */
export const evaluateExpression = async (
  expression: string,
  data: unknown,
  env: EvaluationEnvironment,
): Promise<unknown> => {
  let result: unknown;
  try {
    result = await compile(expression).evaluate(data, {
      now: () => env.now,
      millis: () => toMillis(env.now),
      random: () => {
        throw new Error('$random() is not deterministic and not available in workflow expressions');
      },
    });
  } catch (error) {
    throw new ExpressionEvaluationError(expression, (error as Error).message ?? String(error));
  }
  return toPlainJson(result);
};

const toPlainJson = (value: unknown): unknown => {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return undefined;
  const text = JSON.stringify(value);
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
};

export const isTruthy = (value: unknown): boolean => {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
};
