import { context, propagation, SpanStatusCode } from '@opentelemetry/api';
import { inSpan, SpanKind } from '@spark/telemetry';
import { CountedFailure, type CircuitBreakers } from '../../runtime/circuit-breakers';
import { TaskExecutionError } from '../task-execution-error';

export interface OutboundRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** A per-request limit, shorter than the task's start-to-close timeout. */
  timeoutMs?: number;
}

export interface OutboundResponse {
  status: number;
  headers: Headers;
  /** Parsed when the content type is JSON, text otherwise (undefined when empty). */
  body: unknown;
}

/**
 * The executor's one way out to HTTP targets (http, langflow and agent steps): through the target
 * host's circuit, aborted by the task's signal, with network failures and 5xx responses counted
 * against the circuit. Status codes are not judged here; each handler has its own rules.
 */
export class OutboundHttp {
  constructor(private readonly circuits: CircuitBreakers) {}

  /**
   * One CLIENT span per request (OpenTelemetry HTTP client conventions), a child of the step attempt's
   * span; its W3C `traceparent` goes to the target, so the called service continues the run's trace.
   */
  async send(request: OutboundRequest, taskSignal: AbortSignal): Promise<OutboundResponse> {
    const { url } = request;
    return inSpan(
      request.method,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': request.method,
          'server.address': url.hostname,
          'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
          // No query string and no credentials: they may carry secrets.
          'url.full': `${url.origin}${url.pathname}`,
        },
      },
      async (span) => {
        const headers = withTraceContext(request.headers);
        const response = await this.exchange({ ...request, headers }, taskSignal);
        span.setAttribute('http.response.status_code', response.status);
        if (response.status >= 400) {
          span.setAttribute('error.type', String(response.status));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        return response;
      },
    );
  }

  private async exchange(request: OutboundRequest, taskSignal: AbortSignal): Promise<OutboundResponse> {
    const requestTimeout =
      request.timeoutMs === undefined ? undefined : AbortSignal.timeout(request.timeoutMs);
    const signal = requestTimeout ? AbortSignal.any([taskSignal, requestTimeout]) : taskSignal;
    try {
      return await this.circuits.run(request.url.host, async () => {
        const response = await fetchOnceMore(request, signal);
        const outcome: OutboundResponse = {
          status: response.status,
          headers: response.headers,
          body: await readBody(response),
        };
        if (response.status >= 500) throw new CountedFailure(outcome);
        return outcome;
      });
    } catch (error) {
      if (taskSignal.aborted) throw taskSignal.reason;
      if (requestTimeout?.aborted) {
        throw TaskExecutionError.timeout(
          `${request.method} ${request.url.origin} took longer than ${request.timeoutMs} ms`,
          {
            scope: 'request',
            timeoutMs: request.timeoutMs,
          },
        );
      }
      if (error instanceof TaskExecutionError) throw error;
      throw TaskExecutionError.retryable(
        'NETWORK_ERROR',
        `${request.method} ${request.url.origin}: ${describe(error)}`,
      );
    }
  }
}

/**
 * fetch, sent once more when the connection broke before any answer (a pooled keep-alive socket the
 * server had closed meanwhile: common after a pause, bench/chaos saw it) and sending again cannot apply
 * the effect twice: the request carries its Idempotency-Key, or its method is idempotent.
 */
async function fetchOnceMore(request: OutboundRequest, signal: AbortSignal): Promise<Response> {
  const send = () =>
    fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
      redirect: 'follow',
    });
  try {
    return await send();
  } catch (error) {
    if (signal.aborted || !isBrokenConnection(error) || !isSafeToSendAgain(request)) throw error;
    return send();
  }
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const BROKEN_CONNECTION_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

function isSafeToSendAgain(request: OutboundRequest): boolean {
  return (
    IDEMPOTENT_METHODS.has(request.method.toUpperCase()) ||
    Object.keys(request.headers).some((name) => name.toLowerCase() === 'idempotency-key')
  );
}

function isBrokenConnection(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' && BROKEN_CONNECTION_CODES.has(cause.code);
}

/** The headers with the active span's W3C trace context, replacing any the step set itself. */
function withTraceContext(headers: Record<string, string>): Record<string, string> {
  const result = Object.fromEntries(
    Object.entries(headers).filter(([name]) => !TRACE_HEADERS.has(name.toLowerCase())),
  );
  propagation.inject(context.active(), result);
  return result;
}
const TRACE_HEADERS = new Set(['traceparent', 'tracestate']);

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  if (isJson(response.headers.get('content-type'))) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function isJson(contentType: string | null): boolean {
  return contentType !== null && /^application\/([\w.+-]*\+)?json\b/i.test(contentType);
}

/** fetch hides the interesting part (ECONNREFUSED, ...) in `cause`. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
