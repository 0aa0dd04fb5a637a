/**
 * RFC 9457 problem details, as the gateway answers every error (`application/problem+json`).
 * `type` is one of PROBLEM_TYPES; `errors` names the offending fields when there are any.
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request path the problem occurred on. */
  instance: string;
  /** One entry per offending field: a JSONPath into the request (`$.input.name`, `$.steps[1].needs`). */
  errors?: FieldError[];
  /** Machine-readable reason, e.g. RUN_FINISHED for a cancel of a finished run. */
  reason?: string;
}

export interface FieldError {
  path: string;
  message: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const problemType = (slug: string) => `https://spark.dev/problems/${slug}`;

/** Problem types the gateway uses, stable across versions. */
export const PROBLEM_TYPES = {
  badRequest: problemType('bad-request'),
  malformedBody: problemType('malformed-body'),
  validation: problemType('validation-failed'),
  unauthenticated: problemType('unauthenticated'),
  forbidden: problemType('forbidden'),
  notFound: problemType('not-found'),
  methodNotAllowed: problemType('method-not-allowed'),
  conflict: problemType('conflict'),
  illegalState: problemType('illegal-state'),
  idempotencyKeyReused: problemType('idempotency-key-reused'),
  payloadTooLarge: problemType('payload-too-large'),
  unsupportedMediaType: problemType('unsupported-media-type'),
  internal: problemType('internal'),
  unavailable: problemType('unavailable'),
} as const;
