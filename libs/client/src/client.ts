import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './generated/spark-api';
import { SparkApiError } from './problem';
import { readServerSentEvents } from './sse';

export type SparkApi = Client<paths>;
type Schemas = components['schemas'];
export type Run = Schemas['RunDto'];
export type RunSummary = Schemas['RunSummaryDto'];
export type RunStatus = Run['status'];
export type WorkflowSummary = Schemas['WorkflowSummaryDto'];
export type Schedule = Schemas['ScheduleDto'];
export type ScheduleDefinition = Schemas['ScheduleDefinitionDto'];
export type Source = Schemas['SourceDto'];
export type ApiKey = Schemas['ApiKeyDto'];
export type Trigger = Schemas['TriggerDto'];
export type FieldError = Schemas['FieldErrorDto'];

export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];

/** One event of a run as the gateway streams it (`GET /api/v1/runs/{runId}/events`). */
export interface RunEvent {
  runId: string;
  revision: string;
  type: string;
  data: Record<string, unknown>;
  recordedAt: string;
}

export interface SparkClientOptions {
  /** The gateway's base URL, e.g. http://127.0.0.1:8080 (no /api/v1). */
  baseUrl: string;
  /** An API key, sent as a Bearer token. */
  apiKey?: string;
  userAgent?: string;
  fetch?: typeof fetch;
}

/** A client of the gateway's REST API, typed from its OpenAPI document. */
export function createSparkClient(options: SparkClientOptions): SparkApi {
  const headers: Record<string, string> = {};
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  if (options.userAgent) headers['user-agent'] = options.userAgent;
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** The data of a 2xx answer, or a SparkApiError carrying the problem document. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (error) {
    throw unreachable(error);
  }
  if (!result.response.ok) throw SparkApiError.fromResponse(result.response, result.error);
  return result.data as T;
}

/** The run's events: the stored ones, then live ones; the stream ends after the run's final event. */
export async function* watchRunEvents(
  api: SparkApi,
  runId: string,
  options: { afterRevision?: string; signal?: AbortSignal } = {},
): AsyncGenerator<RunEvent> {
  let result;
  try {
    result = await api.GET('/api/v1/runs/{runId}/events', {
      params: {
        path: { runId },
        ...(options.afterRevision ? { header: { 'Last-Event-ID': options.afterRevision } } : {}),
      },
      parseAs: 'stream',
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    throw unreachable(error);
  }
  const { response } = result;
  if (!response.ok) {
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    throw SparkApiError.fromResponse(response, body);
  }
  for await (const message of readServerSentEvents(response.body!))
    yield JSON.parse(message.data) as RunEvent;
}

function unreachable(error: unknown): unknown {
  if (error instanceof Error && error.name === 'AbortError') return error;
  if (error instanceof TypeError) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return new SparkApiError(
      0,
      undefined,
      `cannot reach the gateway: ${cause?.code ?? cause?.message ?? error.message}`,
    );
  }
  return error;
}
