/** Codes shared by every layer: the gateway maps them to problem+json statuses, gRPC to status codes. */
export const ERROR_CODES = {
  validation: 'VALIDATION_FAILED',
  notFound: 'NOT_FOUND',
  illegalState: 'ILLEGAL_STATE',
  conflict: 'CONFLICT',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export interface ValidationProblem {
  /** JSONPath of the offending value, e.g. `$.steps[2].needs[0]`. */
  path: string;
  message: string;
}

export class ValidationError extends DomainError {
  readonly code = ERROR_CODES.validation;

  constructor(
    readonly problems: ValidationProblem[],
    summary = 'Validation failed',
  ) {
    super(`${summary}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
}

export class NotFoundError extends DomainError {
  readonly code = ERROR_CODES.notFound;
}

/** The command does not apply to the aggregate in its current state (e.g. cancelling a finished run). */
export class IllegalStateError extends DomainError {
  readonly code = ERROR_CODES.illegalState;

  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

/** The command contradicts what is already recorded (e.g. a registered version with other content). */
export class ConflictError extends DomainError {
  readonly code = ERROR_CODES.conflict;

  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

export const isDomainError = (error: unknown, code?: ErrorCode): error is DomainError =>
  error instanceof DomainError && (code === undefined || error.code === code);
