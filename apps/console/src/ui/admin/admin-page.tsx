import { type ApiKey, type Source, type Trigger, unwrap } from '@spark/client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useAllowed, useSession } from '../api';
import { ActionButton, ConfirmDialog, ErrorNote, StatusBadge, when } from '../common';
import { Link } from '../router';

/** Triggers, sources and API keys: what an admin registers once. A key without admin sees why not. */
export function AdminPage() {
  const admin = useAllowed('admin');
  return (
    <section className="page admin-page">
      <header className="page-head">
        <h1>Triggers, sources and API keys</h1>
      </header>
      {admin.allowed ? null : <p className="muted">{admin.reason}: triggers and API keys are not shown.</p>}
      <Sources />
      {admin.allowed ? (
        <>
          <Triggers />
          <ApiKeys />
        </>
      ) : null}
    </section>
  );
}

function Sources() {
  const { api } = useSession();
  const list = useQuery({ queryKey: ['sources'], queryFn: () => unwrap(api.GET('/api/v1/sources')) });
  return (
    <>
      <h2>Sources</h2>
      <ErrorNote error={list.error} />
      <Rows
        label="Sources"
        head={['Name', 'Kind', 'Base URL', 'API key', 'Updated']}
        rows={(list.data ?? []).map((source: Source) => [
          source.name,
          source.kind,
          source.baseUrl,
          source.hasApiKey ? 'stored' : '—',
          when(source.updatedAt),
        ])}
      />
    </>
  );
}

function Triggers() {
  const { api } = useSession();
  const list = useQuery({ queryKey: ['triggers'], queryFn: () => unwrap(api.GET('/api/v1/triggers')) });
  return (
    <>
      <h2>Triggers</h2>
      <ErrorNote error={list.error} />
      <Rows
        label="Triggers"
        head={['Id', 'Kind', 'Workflow', 'Where', 'State']}
        rows={(list.data ?? []).map((trigger: Trigger) => [
          <span className="mono">{trigger.id.slice(0, 8)}</span>,
          trigger.kind,
          <Link to={`/workflows/${encodeURIComponent(trigger.workflow.name)}`}>{trigger.workflow.name}</Link>,
          trigger.hookPath ?? trigger.topic ?? '—',
          <StatusBadge status={trigger.enabled ? 'ACTIVE' : 'PAUSED'} />,
        ])}
      />
    </>
  );
}

function ApiKeys() {
  const { api } = useSession();
  const client = useQueryClient();
  const admin = useAllowed('admin');
  const list = useQuery({ queryKey: ['api-keys'], queryFn: () => unwrap(api.GET('/api/v1/api-keys')) });
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  return (
    <>
      <h2>API keys</h2>
      <ErrorNote error={list.error} />
      <Rows
        label="API keys"
        head={['Name', 'Scopes', 'Prefix', 'Created', '']}
        rows={(list.data ?? []).map((key: ApiKey) => [
          key.name,
          key.scopes.join(', '),
          <span className="mono">{key.prefix}…</span>,
          when(key.createdAt),
          <ActionButton {...admin} onClick={() => setRevoking(key)}>
            Revoke
          </ActionButton>,
        ])}
      />
      {revoking ? (
        <ConfirmDialog
          title={`Revoke the API key "${revoking.name}"?`}
          body={<p>Whoever uses it loses access at once. The last admin key cannot be revoked.</p>}
          confirmLabel="Revoke"
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await unwrap(api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id: revoking.id } } }));
            await client.invalidateQueries({ queryKey: ['api-keys'] });
          }}
        />
      ) : null}
    </>
  );
}

function Rows({ label, head, rows }: { label: string; head: string[]; rows: ReactNode[][] }) {
  return (
    <div className="table compact five" role="table" aria-label={label}>
      <div className="tr th" role="row">
        {head.map((name, i) => (
          <span role="columnheader" key={i}>
            {name}
          </span>
        ))}
      </div>
      {rows.map((cells, i) => (
        <div className="tr" role="row" key={i}>
          {cells.map((cell, j) => (
            <span role="cell" key={j}>
              {cell}
            </span>
          ))}
        </div>
      ))}
      {rows.length === 0 ? <p className="muted pad">None.</p> : null}
    </div>
  );
}
