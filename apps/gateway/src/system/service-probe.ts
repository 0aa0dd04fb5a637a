import { DEFAULT_HTTP_PORTS } from '@spark/service-kit';
import { parsePrometheusText, type Sample } from './prometheus-text';

export const PROBED_SERVICES = ['scheduler', 'executor', 'projector'] as const;
export type ProbedService = (typeof PROBED_SERVICES)[number];

/**
 * Where the other services answer over HTTP: SPARK_<SERVICE>_URLS (comma-separated, one per instance),
 * else SPARK_<SERVICE>_URL, else this host with SPARK_<SERVICE>_PORT (default 8081-8083), like `spark doctor`.
 */
export function serviceUrls(env: NodeJS.ProcessEnv = process.env): Record<ProbedService, string[]> {
  const urls = {} as Record<ProbedService, string[]>;
  for (const service of PROBED_SERVICES) {
    const name = service.toUpperCase();
    const listed = (env[`SPARK_${name}_URLS`] ?? env[`SPARK_${name}_URL`] ?? '')
      .split(',')
      .map((url) => url.trim().replace(/\/+$/, ''))
      .filter(Boolean);
    const host = env.SPARK_HTTP_HOST ?? '127.0.0.1';
    urls[service] =
      listed.length > 0
        ? listed
        : [`http://${host}:${env[`SPARK_${name}_PORT`] ?? DEFAULT_HTTP_PORTS[service]}`];
  }
  return urls;
}

export interface ProbeResult {
  service: ProbedService;
  url: string;
  ready: boolean;
  /** HTTP status of /health/ready; absent when it did not answer. */
  status?: number;
  error?: string;
  samples: Sample[];
}

// Longer than a service's own dependency checks (2 s each), so a slow Kafka shows as its 503, not as silence.
const TIMEOUT_MS = 3500;

/** /health/ready and /metrics of one instance; never throws (a service that is down is a result). */
export async function probeService(service: ProbedService, url: string): Promise<ProbeResult> {
  try {
    const [ready, metrics] = await Promise.all([
      fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(TIMEOUT_MS) }),
      fetch(`${url}/metrics`, { signal: AbortSignal.timeout(TIMEOUT_MS) }).catch(() => undefined),
    ]);
    await ready.arrayBuffer().catch(() => undefined);
    const samples = metrics?.ok ? parsePrometheusText(await metrics.text()) : [];
    return {
      service,
      url,
      ready: ready.ok,
      status: ready.status,
      ...(ready.ok ? {} : { error: `/health/ready answered ${ready.status}` }),
      samples,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      service,
      url,
      ready: false,
      error: cause ?? (error instanceof Error ? error.message : String(error)),
      samples: [],
    };
  }
}
