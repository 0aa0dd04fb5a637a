import { unwrap } from '@spark/client';
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../api';
import { ErrorNote, JsonBlock, StatusBadge } from '../common';

interface Readiness {
  ok: boolean;
  status: number;
  checks: [string, { status?: string; error?: string }][];
  body: unknown;
}

/** The gateway's /health/ready: 200 when every dependency answers, 503 with the failing checks. */
export async function readGatewayHealth(fetcher: typeof fetch = fetch): Promise<Readiness> {
  const response = await fetcher('/health/ready');
  const body = (await response.json().catch(() => ({}))) as {
    checks?: Record<string, { status?: string; error?: string }>;
    info?: Record<string, { status?: string }>;
    error?: Record<string, { status?: string; message?: string }>;
    details?: Record<string, { status?: string; message?: string }>;
    message?: { checks?: Record<string, { status?: string; error?: string }> };
  };
  const checks = body.checks ?? body.message?.checks ?? body.details ?? {};
  return { ok: response.ok, status: response.status, checks: Object.entries(checks), body };
}

export function SystemPage() {
  const { api } = useSession();
  const health = useQuery({
    queryKey: ['health'],
    queryFn: () => readGatewayHealth(),
    refetchInterval: 5000,
  });
  const status = useQuery({
    queryKey: ['system'],
    queryFn: () => unwrap(api.GET('/api/v1/system')),
    refetchInterval: 5000,
  });
  const system = status.data;
  return (
    <section className="page system-page">
      <header className="page-head">
        <h1>System</h1>
      </header>
      <ErrorNote error={health.error} />
      {health.data ? (
        <>
          <p>
            Gateway: <StatusBadge status={health.data.ok ? 'UP' : 'DOWN'} />{' '}
            <span className="muted">HTTP {health.data.status}</span>
          </p>
          <div className="table compact" role="table" aria-label="Dependencies">
            <div className="tr th" role="row">
              <span role="columnheader">Dependency</span>
              <span role="columnheader">Status</span>
              <span role="columnheader" className="wide">
                Detail
              </span>
            </div>
            {health.data.checks.map(([name, check]) => (
              <div className="tr" role="row" key={name}>
                <span role="cell">{name}</span>
                <span role="cell">
                  <StatusBadge status={(check.status ?? 'unknown').toUpperCase()} />
                </span>
                <span role="cell" className="wide muted">
                  {check.error ?? ''}
                </span>
              </div>
            ))}
          </div>
          <h2>Services</h2>
          <ErrorNote error={status.error} />
          {system ? (
            <>
              <div className="table compact" role="table" aria-label="Services">
                <div className="tr th" role="row">
                  <span role="columnheader">Service</span>
                  <span role="columnheader">Status</span>
                  <span role="columnheader" className="wide">
                    Address
                  </span>
                </div>
                {system.services.map((service) => (
                  <div className="tr" role="row" key={service.url} data-service={service.service}>
                    <span role="cell">{service.service}</span>
                    <span role="cell">
                      <StatusBadge status={service.ready ? 'UP' : 'DOWN'} />
                    </span>
                    <span role="cell" className="wide muted">
                      {service.url}
                      {service.error ? ` — ${service.error}` : ''}
                    </span>
                  </div>
                ))}
              </div>
              <h2>Projection lag</h2>
              <div className="table compact" role="table" aria-label="Projection lag">
                <div className="tr th" role="row">
                  <span role="columnheader">Checkpoint</span>
                  <span role="columnheader">Events behind</span>
                  <span role="columnheader">Seconds behind</span>
                </div>
                {system.projection.map((lag) => (
                  <div
                    className="tr"
                    role="row"
                    key={`${lag.url} ${lag.checkpoint}`}
                    data-checkpoint={lag.checkpoint}
                  >
                    <span role="cell">{lag.checkpoint}</span>
                    <span role="cell">{lag.eventsBehind}</span>
                    <span role="cell">{lag.secondsBehind.toFixed(1)}</span>
                  </div>
                ))}
              </div>
              {system.projection.length === 0 ? (
                <p className="muted">No projector reported its lag.</p>
              ) : null}
              <h2>Tasks in flight</h2>
              <div className="table compact" role="table" aria-label="Executors">
                <div className="tr th" role="row">
                  <span role="columnheader">Executor</span>
                  <span role="columnheader">In flight</span>
                  <span role="columnheader">Queued</span>
                  <span role="columnheader" className="wide">
                    By handler
                  </span>
                </div>
                {system.executors.map((executor) => (
                  <div className="tr" role="row" key={executor.url} data-executor={executor.url}>
                    <span role="cell" className="mono">
                      {executor.url}
                    </span>
                    <span role="cell" data-in-flight={executor.tasksInFlight}>
                      {executor.tasksInFlight}
                    </span>
                    <span role="cell">{executor.tasksQueued}</span>
                    <span role="cell" className="wide muted">
                      {executor.byHandler
                        .filter((handler) => handler.inFlight > 0)
                        .map((handler) => `${handler.handler} ${handler.inFlight}`)
                        .join(', ') || '—'}
                    </span>
                  </div>
                ))}
              </div>
              <h2>Consumer lag</h2>
              <ErrorNote error={system.consumersError ? new Error(system.consumersError) : null} />
              <div className="table compact" role="table" aria-label="Consumer lag">
                <div className="tr th" role="row">
                  <span role="columnheader">Group</span>
                  <span role="columnheader" className="wide">
                    Topic
                  </span>
                  <span role="columnheader">Partitions</span>
                  <span role="columnheader">Lag</span>
                </div>
                {system.consumers.map((consumer) => (
                  <div
                    className="tr"
                    role="row"
                    key={`${consumer.group} ${consumer.topic}`}
                    data-group={consumer.group}
                  >
                    <span role="cell">{consumer.group}</span>
                    <span role="cell" className="wide">
                      {consumer.topic}
                    </span>
                    <span role="cell">{consumer.partitions}</span>
                    <span role="cell">{consumer.lag}</span>
                  </div>
                ))}
              </div>
              <p className="muted">Measured {new Date(system.measuredAt).toLocaleTimeString()}</p>
            </>
          ) : null}
          <details>
            <summary>Raw readiness answer</summary>
            <JsonBlock value={health.data.body} />
          </details>
        </>
      ) : null}
    </section>
  );
}
