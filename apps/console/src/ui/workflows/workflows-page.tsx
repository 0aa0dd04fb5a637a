import { unwrap } from '@spark/client';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { stringify } from 'yaml';
import { useSession } from '../api';
import { ErrorNote, when } from '../common';
import { DagView, type DefinitionLike, workflowGraph } from '../graph';
import { Link } from '../router';
import { type InputSchema } from './input-fields';
import { StartForm } from './start-form';

export function WorkflowsPage({ name }: { name?: string | undefined }) {
  const { api } = useSession();
  const list = useQuery({ queryKey: ['workflows'], queryFn: () => unwrap(api.GET('/api/v1/workflows')) });
  return (
    <section className="page workflows-page">
      <header className="page-head">
        <h1>Workflows</h1>
      </header>
      <ErrorNote error={list.error} />
      <div className="split">
        <nav className="list" aria-label="Workflows">
          {(list.data ?? []).map((workflow) => (
            <Link
              key={workflow.name}
              to={`/workflows/${encodeURIComponent(workflow.name)}`}
              className={workflow.name === name ? 'selected' : ''}
              aria-current={workflow.name === name ? 'page' : undefined}
            >
              <strong>{workflow.name}</strong>
              <span className="muted">
                v{workflow.latestVersion} · {workflow.versionCount} version
                {workflow.versionCount === 1 ? '' : 's'} · {when(workflow.updatedAt)}
              </span>
            </Link>
          ))}
          {list.data?.length === 0 ? <p className="muted">No workflows yet.</p> : null}
        </nav>
        {name ? <WorkflowDetail key={name} name={name} /> : <p className="muted">Pick a workflow.</p>}
      </div>
    </section>
  );
}

function WorkflowDetail({ name }: { name: string }) {
  const { api } = useSession();
  const versions = useQuery({
    queryKey: ['workflow-versions', name],
    queryFn: () => unwrap(api.GET('/api/v1/workflows/{name}/versions', { params: { path: { name } } })),
  });
  const [picked, setPicked] = useState<number | undefined>(undefined);
  const latest = versions.data?.reduce((max, version) => Math.max(max, version.version), 0);
  const version = picked ?? latest;
  const definition = useQuery({
    enabled: version !== undefined && version > 0,
    queryKey: ['workflow', name, version],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/workflows/{name}/versions/{version}', {
          params: { path: { name, version: version! } },
        }),
      ) as Promise<DefinitionLike & { inputSchema?: InputSchema }>,
    staleTime: Infinity,
  });
  const graph = useMemo(() => (definition.data ? workflowGraph(definition.data) : null), [definition.data]);
  return (
    <div className="detail">
      <div className="row">
        <h2>{name}</h2>
        <label>
          Version{' '}
          <select value={version ?? ''} onChange={(event) => setPicked(Number(event.target.value))}>
            {(versions.data ?? [])
              .slice()
              .sort((a, b) => b.version - a.version)
              .map((entry) => (
                <option key={entry.version} value={entry.version}>
                  v{entry.version} ({entry.steps} steps){entry.description ? ` — ${entry.description}` : ''}
                </option>
              ))}
          </select>
        </label>
        <Link to={`/runs?workflow=${encodeURIComponent(name)}`}>Its runs</Link>
      </div>
      <ErrorNote error={versions.error ?? definition.error} />
      {definition.data && graph ? (
        <>
          <div className="two">
            <pre className="yaml" aria-label="Definition (YAML)" tabIndex={0}>
              {stringify(definition.data)}
            </pre>
            <DagView graph={graph} label="Workflow graph" />
          </div>
          <StartForm
            name={name}
            version={version!}
            {...(definition.data.inputSchema ? { schema: definition.data.inputSchema } : {})}
          />
        </>
      ) : null}
    </div>
  );
}
