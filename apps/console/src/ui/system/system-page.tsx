import { useQuery } from '@tanstack/react-query';
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
  const health = useQuery({
    queryKey: ['health'],
    queryFn: () => readGatewayHealth(),
    refetchInterval: 5000,
  });
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
          <details>
            <summary>Raw readiness answer</summary>
            <JsonBlock value={health.data.body} />
          </details>
        </>
      ) : null}
    </section>
  );
}
