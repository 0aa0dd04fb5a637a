import { HttpException } from '@nestjs/common';
import { type FieldError, PROBLEM_TYPES, type ProblemDetails } from '@spark/contracts';
import { ConcurrencyConflictError, EventStoreValidationError, StreamNotFoundError } from '@spark/event-store';
import {
  ConflictError,
  IllegalStateError,
  isDomainError,
  NotFoundError,
  ValidationError,
} from '@spark/workflow-domain';
import { isDependencyUnavailable } from '@spark/messaging';
import { InvalidCursorError, InvalidFilterError } from '@spark/read-model';
import { ProblemException } from './problem';

type Problem = Omit<ProblemDetails, 'instance'>;

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Validation failed',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

const TYPES: Record<number, string> = {
  400: PROBLEM_TYPES.badRequest,
  401: PROBLEM_TYPES.unauthenticated,
  403: PROBLEM_TYPES.forbidden,
  404: PROBLEM_TYPES.notFound,
  409: PROBLEM_TYPES.conflict,
  413: PROBLEM_TYPES.payloadTooLarge,
  415: PROBLEM_TYPES.unsupportedMediaType,
  422: PROBLEM_TYPES.validation,
  503: PROBLEM_TYPES.unavailable,
};

/**
 * The one place errors become problem+json: domain errors by code, event-store errors, HTTP errors
 * raised by Nest or Express (body parser: malformed JSON, too large), and anything else as a 500
 * whose details stay in the log.
 */
export function toProblem(error: unknown, bodyLimitBytes: number): Problem {
  if (error instanceof ProblemException) return error.problem;
  if (isDomainError(error)) {
    if (error instanceof ValidationError)
      return {
        type: PROBLEM_TYPES.validation,
        title: 'Validation failed',
        status: 422,
        detail: error.message,
        errors: error.problems,
      };
    if (error instanceof NotFoundError)
      return { type: PROBLEM_TYPES.notFound, title: 'Not found', status: 404, detail: error.message };
    if (error instanceof IllegalStateError)
      return {
        type: PROBLEM_TYPES.illegalState,
        title: 'Not allowed in the current state',
        status: 409,
        detail: error.message,
        reason: error.reason,
      };
    if (error instanceof ConflictError)
      return {
        type: PROBLEM_TYPES.conflict,
        title: 'Conflict',
        status: 409,
        detail: error.message,
        reason: error.reason,
      };
  }
  if (error instanceof InvalidCursorError || error instanceof InvalidFilterError)
    return {
      type: PROBLEM_TYPES.badRequest,
      title: 'Bad request',
      status: 400,
      detail: error.message,
      errors: [{ path: `query:${error.field}`, message: error.message }],
    };
  if (error instanceof ConcurrencyConflictError)
    return {
      type: PROBLEM_TYPES.conflict,
      title: 'Conflict',
      status: 409,
      detail: `${error.message}; retry the request`,
      reason: 'CONCURRENCY_CONFLICT',
    };
  if (error instanceof StreamNotFoundError)
    return { type: PROBLEM_TYPES.notFound, title: 'Not found', status: 404, detail: error.message };
  // The event store's own checks name its internal fields (`streamName`, `events[0].data`), not the
  // request's: the request is refused without them (routes check their inputs before they get here).
  if (error instanceof EventStoreValidationError)
    return {
      type: PROBLEM_TYPES.validation,
      title: 'Validation failed',
      status: 422,
      detail: 'The request has a value the event store cannot hold',
    };
  if (error instanceof HttpException) return fromHttpException(error, bodyLimitBytes);
  // The database or Kafka away or saturated (no pool connection in time): nothing was accepted, so
  // the client may retry (the filter adds Retry-After).
  if (isDependencyUnavailable(error))
    return {
      type: PROBLEM_TYPES.unavailable,
      title: 'Service unavailable',
      status: 503,
      detail:
        'The gateway cannot reach the database or Kafka in time (away or overloaded); nothing was accepted, retry later',
    };
  const status = (error as { status?: unknown; statusCode?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return fromHttpException(new HttpException((error as Error).message, status), bodyLimitBytes);
  }
  return {
    type: PROBLEM_TYPES.internal,
    title: 'Internal server error',
    status: 500,
    detail: 'The gateway failed to handle the request; the error is in its log.',
  };
}

function fromHttpException(error: HttpException, bodyLimitBytes: number): Problem {
  const status = error.getStatus();
  const response = error.getResponse();
  const message = messageOf(response) ?? error.message;
  if (status === 413)
    return {
      type: PROBLEM_TYPES.payloadTooLarge,
      title: 'Payload too large',
      status,
      detail: `The request body is larger than the limit of ${bodyLimitBytes} bytes`,
    };
  // Express's body parser raises a SyntaxError that Nest turns into a 400 with its message.
  if (status === 400 && /JSON|Unexpected token|Unexpected end|Expected/.test(message) && !hasErrors(response))
    return {
      type: PROBLEM_TYPES.malformedBody,
      title: 'Malformed request body',
      status,
      detail: `The request body is not valid JSON: ${message}`,
      errors: [{ path: '$', message: 'not valid JSON' }],
    };
  const errors = hasErrors(response) ? (response as { errors: FieldError[] }).errors : undefined;
  return {
    type: TYPES[status] ?? 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail: message,
    ...(errors ? { errors } : {}),
  };
}

function messageOf(response: unknown): string | undefined {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown; detail?: unknown })?.message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return undefined;
}

function hasErrors(response: unknown): boolean {
  return Array.isArray((response as { errors?: unknown })?.errors);
}
