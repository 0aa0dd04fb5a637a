import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { PROBLEM_TYPES, type ProblemDetails } from '@spark/contracts';
import { toProblem } from '../problems/to-problem';

type Problem = Omit<ProblemDetails, 'instance'>;

/** A request field path as the REST API names it ("query:cursor", "path:runId") in proto terms. */
const fieldPath = (path: string): string =>
  path
    .replace(/^(query|path|header):/, '')
    .replace(/^cursor$/, 'page_token')
    .replace(/^limit$/, 'page_size')
    .replace(/^runId$/, 'run_id')
    .replace(/^Idempotency-Key$/i, 'idempotency_key');

/**
 * The gRPC status for a problem: the same error classes as REST (through `toProblem`), so a
 * 404 is NOT_FOUND, a 400/422 INVALID_ARGUMENT, an illegal state FAILED_PRECONDITION, a version
 * registered with other content ALREADY_EXISTS, a concurrency conflict ABORTED (retry).
 */
export function grpcCodeFor(problem: Problem): status {
  switch (problem.status) {
    case 400:
    case 422:
      return status.INVALID_ARGUMENT;
    case 401:
      return status.UNAUTHENTICATED;
    case 403:
      return status.PERMISSION_DENIED;
    case 404:
      return status.NOT_FOUND;
    case 409:
      if (problem.type === PROBLEM_TYPES.illegalState) return status.FAILED_PRECONDITION;
      if (problem.reason === 'CONCURRENCY_CONFLICT') return status.ABORTED;
      return status.ALREADY_EXISTS;
    case 413:
      return status.RESOURCE_EXHAUSTED;
    case 429:
      return status.RESOURCE_EXHAUSTED;
    case 503:
      return status.UNAVAILABLE;
    default:
      return problem.status >= 400 && problem.status < 500 ? status.INVALID_ARGUMENT : status.INTERNAL;
  }
}

/**
 * Any error as a gRPC error: code, a message with every field path ("detail [path: message; ...]"),
 * and trailers `spark-problem-type` and `spark-reason` for clients that branch on them.
 */
export function toGrpcError(
  error: unknown,
  bodyLimitBytes: number,
): Partial<ServiceError> & { code: status } {
  if (isGrpcError(error)) return error;
  const problem = toProblem(error, bodyLimitBytes);
  const code = grpcCodeFor(problem);
  const fields = (problem.errors ?? []).map((e) => `${fieldPath(e.path)}: ${e.message}`);
  const details =
    fields.length > 0 && !fields.every((f) => (problem.detail ?? '').includes(f))
      ? `${problem.detail ?? problem.title} [${fields.join('; ')}]`
      : (problem.detail ?? problem.title);
  const metadata = new Metadata();
  metadata.set('spark-problem-type', problem.type);
  if (problem.reason) metadata.set('spark-reason', problem.reason);
  return { code, details, message: details, metadata };
}

/** An error already carrying a gRPC status (e.g. CANCELLED for a call the client gave up). */
export class GrpcStatusError extends Error {
  constructor(
    readonly code: status,
    readonly details: string,
  ) {
    super(details);
  }
}

const isGrpcError = (error: unknown): error is GrpcStatusError => error instanceof GrpcStatusError;
