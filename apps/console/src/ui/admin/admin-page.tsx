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
  const client = useQueryClient();
  const admin = useAllowed('admin');
  const list = useQuery({ queryKey: ['triggers'], queryFn: () => unwrap(api.GET('/api/v1/triggers')) });
  const [switching, setSwitching] = useState<Trigger | null>(null);
  return (
    <>
      <h2>Triggers</h2>
      <ErrorNote error={list.error} />
      <Rows
        label="Triggers"
        head={['Id', 'Kind', 'Workflow', 'Where', 'State', '']}
        rows={(list.data ?? []).map((trigger: Trigger) => [
          <span className="mono">{trigger.id.slice(0, 8)}</span>,
          trigger.kind,
          <Link to={`/workflows/${encodeURIComponent(trigger.workflow.name)}`}>{trigger.workflow.name}</Link>,
          trigger.hookPath ?? trigger.topic ?? '—',
          <StatusBadge status={trigger.enabled ? 'ACTIVE' : 'PAUSED'} />,
          <ActionButton {...admin} onClick={() => setSwitching(trigger)}>
            {trigger.enabled ? 'Pause' : 'Resume'}
          </ActionButton>,
        ])}
      />
      {switching ? (
        <ConfirmDialog
          title={`${switching.enabled ? 'Pause' : 'Resume'} the ${switching.kind} trigger of ${switching.workflow.name}?`}
          body={
            <p>
              {switching.enabled
                ? 'It starts no runs while paused (a webhook answers 409).'
                : 'It starts runs again (a Kafka trigger continues after its last committed message).'}
            </p>
          }
          confirmLabel={switching.enabled ? 'Pause' : 'Resume'}
          onClose={() => setSwitching(null)}
          onConfirm={async () => {
            const path = { params: { path: { id: switching.id } } };
            await unwrap(
              switching.enabled
                ? api.POST('/api/v1/triggers/{id}/pause', path)
                : api.POST('/api/v1/triggers/{id}/resume', path),
            );
            await client.invalidateQueries({ queryKey: ['triggers'] });
          }}
        />
      ) : null}
    </>
  );
}

const SCOPES = ['read', 'write', 'admin'] as const;

/** A new API key: its name and scope; the key itself is shown once, here. */
function CreateApiKey() {
  const { api } = useSession();
  const client = useQueryClient();
  const admin = useAllowed('admin');
  const [name, setName] = useState('');
  const [scope, setScope] = useState<(typeof SCOPES)[number]>('read');
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <form
      className="row create-key"
      aria-label="Create an API key"
      onSubmit={async (event) => {
        event.preventDefault();
        setError(null);
        try {
          // One scope is enough: admin includes write, write includes read.
          const key = await unwrap(
            api.POST('/api/v1/api-keys', { body: { name: name.trim(), scopes: [scope] } }),
          );
          setCreated({ name: key.name, key: key.key });
          setName('');
          await client.invalidateQueries({ queryKey: ['api-keys'] });
        } catch (failure) {
          setError(failure);
        }
      }}
    >
      <label>
        Name
        <input value={name} onChange={(event) => setName(event.target.value)} required />
      </label>
      <label>
        Scope
        <select value={scope} onChange={(event) => setScope(event.target.value as (typeof SCOPES)[number])}>
          {SCOPES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <ActionButton {...admin} type="submit">
        Create key
      </ActionButton>
      <ErrorNote error={error} />
      {created ? (
        <p className="note" role="status" aria-label="New API key">
          The key &quot;{created.name}&quot;, shown this once: <code className="mono">{created.key}</code>
        </p>
      ) : null}
    </form>
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
      <CreateApiKey />
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
    <div className={`table compact ${head.length === 6 ? 'six' : 'five'}`} role="table" aria-label={label}>
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
