import { HttpException } from '@nestjs/common';
import { type FieldError, PROBLEM_TYPES, type ProblemDetails } from '@spark/contracts';

/** An error that already knows its problem+json answer. */
export class ProblemException extends HttpException {
  constructor(readonly problem: Omit<ProblemDetails, 'instance'> & { instance?: string }) {
    super(problem, problem.status);
  }

  static badRequest(detail: string, errors?: FieldError[]): ProblemException {
    return new ProblemException({
      type: PROBLEM_TYPES.badRequest,
      title: 'Bad request',
      status: 400,
      detail,
      ...(errors ? { errors } : {}),
    });
  }

  static notFound(detail: string, errors?: FieldError[]): ProblemException {
    return new ProblemException({
      type: PROBLEM_TYPES.notFound,
      title: 'Not found',
      status: 404,
      detail,
      ...(errors ? { errors } : {}),
    });
  }

  static illegalState(detail: string, reason: string): ProblemException {
    return new ProblemException({
      type: PROBLEM_TYPES.illegalState,
      title: 'Not allowed in the current state',
      status: 409,
      detail,
      reason,
    });
  }

  static unprocessable(detail: string, errors: FieldError[]): ProblemException {
    return new ProblemException({
      type: PROBLEM_TYPES.validation,
      title: 'Validation failed',
      status: 422,
      detail,
      errors,
    });
  }
}
