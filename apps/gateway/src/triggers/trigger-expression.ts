import jsonata from 'jsonata';

/**
 * Trigger expressions run on the gateway's event loop over data from outside (request bodies, messages
 * of other teams): a runaway expression is stopped instead of stalling every request.
 */
const LIMITS = { timeout: 250, stack: 200 } as const;

/** A trigger expression that does not compile or fails on some data; `field` names it (`$.filter`). */
export class TriggerExpressionError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'TriggerExpressionError';
  }
}

/** JSONata throws plain objects with `message`/`code`/`position`, not Errors. */
const describe = (error: unknown): string => {
  const { message, code, position } = (error ?? {}) as { message?: string; code?: string; position?: number };
  const text = message ?? code ?? String(error);
  return position === undefined ? text : `${text} (at position ${position})`;
};

/** A JSONata expression of a trigger (filter or input mapping), compiled once. */
export class TriggerExpression {
  private constructor(
    readonly field: string,
    readonly source: string,
    private readonly compiled: jsonata.Expression,
  ) {}

  /** Throws TriggerExpressionError when the expression does not compile. */
  static compile(field: string, source: string): TriggerExpression {
    try {
      return new TriggerExpression(field, source, jsonata(source, LIMITS));
    } catch (error) {
      throw new TriggerExpressionError(
        field,
        `${field} is not a valid JSONata expression: ${describe(error)}`,
      );
    }
  }

  /** The result as plain JSON (`undefined` when the expression matches nothing). */
  async evaluate(data: unknown): Promise<unknown> {
    let result: unknown;
    try {
      result = await this.compiled.evaluate(data);
    } catch (error) {
      throw new TriggerExpressionError(this.field, `${this.field} failed: ${describe(error)}`);
    }
    if (result === undefined || typeof result === 'function') return undefined;
    // JSONata sequences are arrays with extra properties; a round trip leaves plain JSON.
    const text = JSON.stringify(result);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  }

  /** A filter's verdict: JSONata truthiness (an empty sequence is false). */
  async matches(data: unknown): Promise<boolean> {
    const result = await this.evaluate(data);
    return Array.isArray(result) ? result.length > 0 : Boolean(result);
  }
}
