import { TaskExecutionError } from './task-execution-error';

/**
 * Reads a handler's config. The scheduler has evaluated every template already, so a wrong type
 * here is a definition error: non-retryable, with the field's name in the message.
 */
export class ConfigFields {
  constructor(
    private readonly handler: string,
    private readonly config: Record<string, unknown>,
  ) {}

  requiredString(field: string): string {
    const value = this.config[field];
    if (typeof value !== 'string' || value === '') throw this.invalid(field, 'a non-empty string');
    return value;
  }

  optionalString(field: string): string | undefined {
    const value = this.config[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw this.invalid(field, 'a string');
    return value;
  }

  optionalNumber(field: string, { min = 0 }: { min?: number } = {}): number | undefined {
    const value = this.config[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      throw this.invalid(field, `a number ≥ ${min}`);
    }
    return value;
  }

  optionalObject(field: string): Record<string, unknown> | undefined {
    const value = this.config[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw this.invalid(field, 'an object');
    return value as Record<string, unknown>;
  }

  raw(field: string): unknown {
    return this.config[field];
  }

  invalid(field: string, expected: string): TaskExecutionError {
    return TaskExecutionError.nonRetryable(
      'INVALID_CONFIG',
      `${this.handler} step: config.${field} must be ${expected}`,
      { field },
    );
  }
}
