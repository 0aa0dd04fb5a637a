import type { components } from './generated/spark-api';

export type Problem = components['schemas']['ProblemDto'];

/**
 * A non-2xx answer of the gateway, with its RFC 9457 problem document when it sent one.
 * `status` 0 means no answer at all (the gateway could not be reached).
 */
export class SparkApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem> | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'SparkApiError';
  }

  static fromResponse(response: Response, body: unknown): SparkApiError {
    const problem = isProblem(body) ? body : undefined;
    const summary = problem?.detail ?? problem?.title ?? (response.statusText || 'request failed');
    const fields = (problem?.errors ?? []).map((error) => `\n  ${error.path}: ${error.message}`).join('');
    return new SparkApiError(response.status, problem, `HTTP ${response.status}: ${summary}${fields}`);
  }
}

function isProblem(body: unknown): body is Partial<Problem> {
  return typeof body === 'object' && body !== null && ('title' in body || 'detail' in body);
}
