import { isSecretReference, type TaskDispatch } from '@spark/contracts';
import type { SecretResolver } from '../../secrets';
import { ConfigFields } from '../config-fields';
import { type OutboundHttp, retryAfterMs } from '../outbound';
import { TaskExecutionError } from '../task-execution-error';
import type { TaskContext, TaskHandler } from '../task-handler';
import {
  DEFAULT_NON_RETRYABLE_STATUS,
  DEFAULT_SUCCESS_STATUS,
  parseStatusRule,
  StatusRuleError,
  type StatusMatcher,
} from './status-rules';

/** Response headers worth keeping in a step's output; `config.responseHeaders` adds more. */
const KEPT_RESPONSE_HEADERS = [
  'content-type',
  'location',
  'etag',
  'last-modified',
  'retry-after',
  'x-request-id',
];

export interface HttpOutput {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Calls any HTTP endpoint. Config: `method` (GET), `url`, `headers`, `query`, `body` (a string is
 * sent as is, anything else as JSON), `successStatus` (2xx), `nonRetryableStatus` (4xx except 408
 * and 429), `timeoutMs`, `responseHeaders`. Always sends `Idempotency-Key: runId:stepId:attempt`.
 * A retryable answer's `Retry-After` makes the retry wait at least that long (up to the policy's maxInterval).
 * A header value may be a secret reference, `{ "secret": "<name>", "prefix": "Bearer " }`: the secret
 * registered through the gateway, resolved now (never written in the definition or the run's events).
 */
export class HttpHandler implements TaskHandler {
  readonly name = 'http';

  constructor(
    private readonly http: OutboundHttp,
    private readonly secrets?: SecretResolver,
  ) {}

  async execute(dispatch: TaskDispatch, context: TaskContext): Promise<HttpOutput> {
    const fields = new ConfigFields(this.name, dispatch.config);
    const method = (fields.optionalString('method') ?? 'GET').toUpperCase();
    const url = urlWithQuery(fields);
    const isSuccess = statusRule(fields, 'successStatus', DEFAULT_SUCCESS_STATUS);
    const isNonRetryable = statusRule(fields, 'nonRetryableStatus', DEFAULT_NON_RETRYABLE_STATUS);
    const headers = await this.headers(fields);
    const body = requestBody(fields.raw('body'), headers);
    headers['idempotency-key'] = context.idempotencyKey;

    const response = await this.http.send(
      { method, url, headers, body, timeoutMs: fields.optionalNumber('timeoutMs', { min: 1 }) },
      context.signal,
    );
    const output: HttpOutput = {
      status: response.status,
      headers: keptHeaders(response.headers, fields.raw('responseHeaders')),
      body: response.body,
    };
    if (isSuccess(response.status)) return output;
    const message = `${method} ${url.origin}${url.pathname} answered ${response.status}`;
    const details = { status: response.status, body: response.body };
    throw isNonRetryable(response.status)
      ? TaskExecutionError.nonRetryable(`HTTP_${response.status}`, message, details)
      : TaskExecutionError.retryable(
          `HTTP_${response.status}`,
          message,
          details,
          retryAfterMs(response.headers.get('retry-after')),
        );
  }

  /** Header names lower-cased, so ours (idempotency-key, content-type) cannot be doubled by case. */
  private async headers(fields: ConfigFields): Promise<Record<string, string>> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(fields.optionalObject('headers') ?? {})) {
      if (value === undefined || value === null) continue;
      headers[name.toLowerCase()] = isSecretReference(value)
        ? `${value.prefix ?? ''}${await this.secret(value.secret, name)}`
        : typeof value === 'string'
          ? value
          : String(value);
    }
    return headers;
  }

  private async secret(name: string, header: string): Promise<string> {
    const value = await this.secrets?.resolve(name);
    if (value === undefined)
      throw TaskExecutionError.nonRetryable(
        'SECRET_NOT_FOUND',
        `secret "${name}" (header ${header}) is not registered`,
        { secret: name },
      );
    return value;
  }
}

function urlWithQuery(fields: ConfigFields): URL {
  const raw = fields.requiredString('url');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw fields.invalid('url', 'an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fields.invalid('url', 'an http(s) URL');
  for (const [name, value] of Object.entries(fields.optionalObject('query') ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) url.searchParams.append(name, String(item));
    }
  }
  return url;
}

function statusRule(fields: ConfigFields, field: string, fallback: unknown): StatusMatcher {
  try {
    return parseStatusRule(fields.raw(field) ?? fallback);
  } catch (error) {
    if (error instanceof StatusRuleError) throw fields.invalid(field, `status rules (${error.message})`);
    throw error;
  }
}

function requestBody(body: unknown, headers: Record<string, string>): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') {
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    return body;
  }
  headers['content-type'] ??= 'application/json';
  return JSON.stringify(body);
}

function keptHeaders(headers: Headers, extra: unknown): Record<string, string> {
  const names = [...KEPT_RESPONSE_HEADERS];
  if (Array.isArray(extra)) names.push(...extra.filter((name): name is string => typeof name === 'string'));
  const kept: Record<string, string> = {};
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null) kept[name.toLowerCase()] = value;
  }
  return kept;
}
