import { type RunSummary, unwrap } from '@spark/client';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useSession } from '../api';
import { ErrorNote, StatusBadge, duration, labelText, when } from '../common';
import { Link, navigate, useLocation } from '../router';
import { BulkActions } from './bulk-actions';
import { filtersFrom, RUN_STATUSES } from './filters';

const PAGE = 100;
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const ROW_HEIGHT = 40;

const toIso = (local: string): string | undefined => {
  const date = new Date(local);
  return local && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
};
const toLocal = (iso?: string): string => {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
};

export function RunsPage() {
  const { api } = useSession();
  const { query } = useLocation();
  const filters = filtersFrom(query);
  const [search, setSearch] = useState('');
  const [searchError, setSearchError] = useState<unknown>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = (runId: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(runId)) next.add(runId);
      return next;
    });

  const runs = useInfiniteQuery({
    queryKey: ['runs', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/runs', {
          params: { query: { ...filters, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor,
    // Live rows: the first page is read again every two seconds; deeper pages stay as they were read.
    refetchInterval: (q) => ((q.state.data?.pages.length ?? 0) <= 1 ? 2000 : false),
  });
  const workflows = useQuery({
    queryKey: ['workflows'],
    queryFn: () => unwrap(api.GET('/api/v1/workflows')),
  });
  const items: RunSummary[] = runs.data?.pages.flatMap((page) => page.items) ?? [];

  const setFilter = (form: FormEvent<HTMLFormElement>) => {
    form.preventDefault();
    const data = new FormData(form.currentTarget);
    const next = new URLSearchParams();
    for (const name of ['status', 'workflow', 'label', 'idempotencyKey'] as const) {
      const value = String(data.get(name) ?? '').trim();
      if (value) next.set(name, value);
    }
    for (const name of ['createdFrom', 'createdTo'] as const) {
      const iso = toIso(String(data.get(name) ?? ''));
      if (iso) next.set(name, iso);
    }
    navigate(`/runs${next.size ? `?${next}` : ''}`, { replace: true });
  };

  // A run id opens that run; anything else is looked up as the idempotency key runs were started with.
  const find = async (form: FormEvent<HTMLFormElement>) => {
    form.preventDefault();
    const text = search.trim();
    if (!text) return;
    setSearchError(null);
    if (RUN_ID.test(text)) {
      const found = await api.GET('/api/v1/runs/{runId}', { params: { path: { runId: text } } });
      if (found.response.ok) return navigate(`/runs/${encodeURIComponent(text)}`);
      if (found.response.status !== 404) return setSearchError(new Error(`HTTP ${found.response.status}`));
    }
    if (!IDEMPOTENCY_KEY.test(text))
      return setSearchError(
        new Error(`No run with id ${text}, and not an idempotency key (1-200 visible ASCII characters)`),
      );
    const byKey = await api.GET('/api/v1/runs', { params: { query: { idempotencyKey: text, limit: 2 } } });
    if (!byKey.response.ok) return setSearchError(new Error(`HTTP ${byKey.response.status}`));
    const matches = byKey.data?.items ?? [];
    if (matches.length === 1) return navigate(`/runs/${encodeURIComponent(matches[0]!.runId)}`);
    if (matches.length === 0) return setSearchError(new Error(`No run with id or idempotency key ${text}`));
    navigate(`/runs?${new URLSearchParams({ idempotencyKey: text })}`);
  };

  return (
    <section className="page runs-page">
      <header className="page-head">
        <h1>Runs</h1>
        <form className="search" onSubmit={(event) => void find(event)} role="search">
          <input
            aria-label="Run id or idempotency key"
            placeholder="Run id or idempotency key…"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
          <button type="submit">Open</button>
        </form>
      </header>
      <ErrorNote error={searchError} />
      <form className="filters" onSubmit={setFilter} aria-label="Filter runs" key={query.toString()}>
        <label>
          Status
          <select name="status" defaultValue={filters.status ?? ''}>
            <option value="">any</option>
            {RUN_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          Workflow
          <input name="workflow" list="workflow-names" defaultValue={filters.workflow ?? ''} />
          <datalist id="workflow-names">
            {(workflows.data ?? []).map((workflow) => (
              <option key={workflow.name} value={workflow.name} />
            ))}
          </datalist>
        </label>
        <label>
          Label
          <input name="label" placeholder="key=value" defaultValue={filters.label ?? ''} />
        </label>
        <label>
          From
          <input name="createdFrom" type="datetime-local" defaultValue={toLocal(filters.createdFrom)} />
        </label>
        <label>
          To
          <input name="createdTo" type="datetime-local" defaultValue={toLocal(filters.createdTo)} />
        </label>
        <label>
          Idempotency key
          <input name="idempotencyKey" defaultValue={filters.idempotencyKey ?? ''} />
        </label>
        <div className="row">
          <button type="submit" className="primary">
            Apply
          </button>
          <button type="button" onClick={() => navigate('/runs', { replace: true })}>
            Clear
          </button>
        </div>
      </form>
      <ErrorNote error={runs.error} />
      <BulkActions selected={selected} filters={filters} clear={() => setSelected(new Set())} />
      <RunTable
        selected={selected}
        toggle={toggle}
        items={items}
        hasMore={Boolean(runs.hasNextPage)}
        loading={runs.isFetchingNextPage}
        loadMore={() => void runs.fetchNextPage()}
      />
      <p className="muted" aria-live="polite">
        {runs.isLoading
          ? 'Loading…'
          : `${items.length} run${items.length === 1 ? '' : 's'}${runs.hasNextPage ? ' (more below)' : ''}`}
      </p>
    </section>
  );
}

/** Only the rows in view are in the page, so ten thousand runs scroll as smoothly as ten. */
export function RunTable({
  selected,
  toggle,
  items,
  hasMore,
  loading,
  loadMore,
}: {
  selected: ReadonlySet<string>;
  toggle: (runId: string) => void;
  items: RunSummary[];
  hasMore: boolean;
  loading: boolean;
  loadMore: () => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const virtual = rows.getVirtualItems();
  const last = virtual[virtual.length - 1];
  useEffect(() => {
    if (last && last.index >= items.length - 20 && hasMore && !loading) loadMore();
  }, [last, items.length, hasMore, loading, loadMore]);

  return (
    <div className="table runs-table" role="table" aria-label="Runs" aria-rowcount={items.length}>
      <div className="tr th" role="row">
        <span role="columnheader" aria-label="Selected" />
        <span role="columnheader">Status</span>
        <span role="columnheader">Run</span>
        <span role="columnheader">Workflow</span>
        <span role="columnheader" className="wide">
          Labels
        </span>
        <span role="columnheader">Created</span>
        <span role="columnheader">Duration</span>
      </div>
      <div className="scroller" ref={scroller} data-testid="runs-scroller">
        <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
          {virtual.map((row) => {
            const run = items[row.index]!;
            return (
              <div
                key={run.runId}
                className="tr"
                role="row"
                aria-rowindex={row.index + 1}
                data-run={run.runId}
                data-status={run.status}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW_HEIGHT,
                  transform: `translateY(${row.start}px)`,
                }}
              >
                <span role="cell">
                  <input
                    type="checkbox"
                    aria-label={`Select run ${run.runId}`}
                    checked={selected.has(run.runId)}
                    onChange={() => toggle(run.runId)}
                  />
                </span>
                <span role="cell">
                  <StatusBadge status={run.status} />
                </span>
                <span role="cell" className="mono">
                  <Link to={`/runs/${run.runId}`}>{run.runId.slice(0, 8)}</Link>
                </span>
                <span role="cell">
                  {run.workflow.name} <span className="muted">v{run.workflow.version}</span>
                </span>
                <span role="cell" className="wide muted">
                  {labelText(run.labels)}
                </span>
                <span role="cell">{when(run.createdAt)}</span>
                <span role="cell">{duration(run.startedAt ?? run.createdAt, run.finishedAt) ?? '—'}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
