import { SparkApiError, unwrap, type SparkApi } from '@spark/client';
import { type Connection, SERVICES, type Service } from '../config';

export interface DoctorCheck {
  component: string;
  kind: 'service' | 'dependency' | 'api';
  status: 'ok' | 'down';
  detail: string;
  /** What to do about it, when down. */
  hint?: string;
}

const DEFAULT_PORTS: Record<Service, number> = {
  gateway: 8080,
  scheduler: 8081,
  executor: 8082,
  projector: 8083,
};

const SERVICE_HINTS: Record<Service, string> = {
  gateway:
    'nothing can reach Spark: start the services with `tools/services up`; its log: `tools/services logs gateway`',
  scheduler:
    'runs are accepted but not scheduled, and schedules do not fire, until it is back: `tools/services up`; log: `tools/services logs scheduler`',
  executor:
    'tasks wait in Kafka until an executor takes them: `tools/services up`; log: `tools/services logs executor`',
  projector:
    'run lists and schedule stats go stale (runs still progress): `tools/services up`; log: `tools/services logs projector`',
};

const DEPENDENCY_HINTS: Record<string, string> = {
  kafka:
    'Kafka is down or unreachable: `tools/stack up` brings it back (`tools/stack status`, `tools/stack logs kafka`); check SPARK_KAFKA_BROKERS',
  postgres:
    'PostgreSQL is down or unreachable: `tools/stack up` (`tools/stack status`, `tools/stack logs postgres`); check SPARK_PG_URL',
  'event-store':
    'the event store does not answer: it is PostgreSQL by default (see postgres); with KurrentDB check EVENTSTORE_URL',
  'task-consumer':
    "the executor's Kafka consumer has not joined its group: see `tools/services logs executor`",
};

/** Where a service's health endpoint is: the profile, SPARK_<SERVICE>_URL, else the gateway's host with the service's port. */
export function serviceUrl(service: Service, connection: Connection, env: NodeJS.ProcessEnv): string {
  if (service === 'gateway') return connection.baseUrl;
  const configured = connection.services[service] ?? env[`SPARK_${service.toUpperCase()}_URL`];
  if (configured) return configured.replace(/\/+$/, '');
  const url = new URL(connection.baseUrl);
  url.port = env[`SPARK_${service.toUpperCase()}_PORT`] ?? String(DEFAULT_PORTS[service]);
  return url.origin;
}

export interface Readiness {
  reachable: boolean;
  ready: boolean;
  detail: string;
  checks: Record<string, { status: 'up' | 'down'; error?: string }>;
}

/** GET /health/ready of one service; a 503 carries the failing checks (service-kit's readiness). */
export async function readiness(url: string, timeoutMs: number): Promise<Readiness> {
  try {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    return readinessFromAnswer(response.status, await response.json().catch(() => ({})));
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      reachable: false,
      ready: false,
      detail: `unreachable at ${url} (${cause ?? (error as Error).name ?? 'error'})`,
      checks: {},
    };
  }
}

export function readinessFromAnswer(status: number, answer: unknown): Readiness {
  const body = (answer ?? {}) as { checks?: Readiness['checks']; message?: { checks?: Readiness['checks'] } };
  const checks = body.checks ?? body.message?.checks ?? {};
  const failing = Object.entries(checks).filter(([, check]) => check.status !== 'up');
  return {
    reachable: true,
    ready: status === 200,
    detail:
      status === 200
        ? `ready (${Object.keys(checks).join(', ') || 'no checks'})`
        : `not ready: ${failing.map(([name, check]) => `${name}: ${check.error ?? 'down'}`).join('; ') || `HTTP ${status}`}`,
    checks,
  };
}

/** Every service's readiness, the dependencies they report, and whether the API key works. */
export async function runDoctor(
  api: SparkApi,
  connection: Connection,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<DoctorCheck[]> {
  const services = await Promise.all(
    SERVICES.map(async (service) => ({
      service,
      result: await readiness(serviceUrl(service, connection, env), timeoutMs),
    })),
  );
  const checks = summarize(services);
  if (services[0]!.result.reachable) checks.push(await apiKeyCheck(api, connection));
  return checks;
}

/** One check per service, then one per dependency the services report (down if any sees it down). */
export function summarize(services: { service: Service; result: Readiness }[]): DoctorCheck[] {
  const checks: DoctorCheck[] = services.map(({ service, result }) => ({
    component: service,
    kind: 'service',
    status: result.ready ? 'ok' : 'down',
    detail: result.detail,
    ...(result.ready ? {} : { hint: SERVICE_HINTS[service] }),
  }));

  const dependencies = new Map<string, { down: string[]; up: string[] }>();
  for (const { service, result } of services)
    for (const [name, check] of Object.entries(result.checks)) {
      const entry = dependencies.get(name) ?? { down: [], up: [] };
      if (check.status === 'up') entry.up.push(service);
      else entry.down.push(`${service}: ${check.error ?? 'down'}`);
      dependencies.set(name, entry);
    }
  for (const [name, { down, up }] of dependencies)
    checks.push({
      component: name,
      kind: 'dependency',
      status: down.length ? 'down' : 'ok',
      detail: down.length ? down.join('; ') : `up (seen by ${up.join(', ')})`,
      ...(down.length
        ? { hint: DEPENDENCY_HINTS[name] ?? `see the logs of ${down.map((d) => d.split(':')[0]).join(', ')}` }
        : {}),
    });
  return checks;
}

async function apiKeyCheck(api: SparkApi, connection: Connection): Promise<DoctorCheck> {
  const base = { component: 'api key', kind: 'api' as const };
  if (!connection.apiKey)
    return {
      ...base,
      status: 'down',
      detail: 'no API key configured',
      hint: 'set SPARK_API_KEY, pass --api-key, or add one to a profile (`spark config set-profile --help`)',
    };
  try {
    await unwrap(api.GET('/api/v1/workflows'));
    return {
      ...base,
      status: 'ok',
      detail: `accepted by ${connection.baseUrl} (from ${connection.origin.apiKey})`,
    };
  } catch (error) {
    if (error instanceof SparkApiError && (error.status === 401 || error.status === 403))
      return {
        ...base,
        status: 'down',
        detail: `${error.status === 401 ? 'rejected' : 'lacks the read scope'} (from ${connection.origin.apiKey})`,
        hint: 'use a valid key: an admin creates one with `spark keys create NAME --scope read,write`',
      };
    return { ...base, status: 'down', detail: error instanceof Error ? error.message : String(error) };
  }
}
