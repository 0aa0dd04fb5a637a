import { FINAL_RUN_STATUSES, type Run, unwrap } from '@spark/client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useAllowed, useSession } from '../api';
import {
  ActionButton,
  ConfirmDialog,
  ErrorNote,
  JsonBlock,
  StatusBadge,
  duration,
  labelText,
  when,
} from '../common';
import { DagView, type DefinitionLike, type NodeState, workflowGraph } from '../graph';
import { Link } from '../router';
import { buildTimeline, runRelations, TimelineView } from '../timeline';
import { AttemptList } from './attempts';
import { StepPanel } from './step-panel';
import { useRunEvents } from './use-run-events';

type Dialog = 'cancel' | 'retry' | 'signal' | null;
type RunAction = NonNullable<Run['actions']>[number];

const actionText = (action: RunAction): string => {
  switch (action.action) {
    case 'CANCEL':
      return 'Cancelled: ';
    case 'RETRY':
      return `Retried from failure (attempt ${action.runAttempt ?? '?'}): `;
    case 'SIGNAL':
      return `Signal "${action.signal ?? ''}": `;
  }
};

/** The states of the DAG's nodes; a map step counts its items. */
export function nodeStates(run: Run): Map<string, NodeState> {
  const states = new Map<string, NodeState>();
  for (const step of run.steps) {
    const items = new Map<number, string>();
    for (const attempt of step.attempts)
      if (attempt.itemIndex !== undefined) items.set(attempt.itemIndex, attempt.status);
    const done = [...items.values()].filter((status) => status === 'SUCCEEDED').length;
    states.set(step.stepId, {
      status: step.status,
      ...(items.size > 0 ? { detail: `${done}/${items.size} items` } : {}),
      ...(step.awaitingSignal ? { detail: `awaits "${step.awaitingSignal}"` } : {}),
    });
  }
  return states;
}

export function RunPage({ runId }: { runId: string }) {
  const { api } = useSession();
  const client = useQueryClient();
  const write = useAllowed('write');
  // After an action the run changes within moments: read it often until then.
  const [actedAt, setActedAt] = useState(0);
  const run = useQuery({
    queryKey: ['run', runId],
    queryFn: () => unwrap(api.GET('/api/v1/runs/{runId}', { params: { path: { runId } } })),
    // SSE refreshes it at once; polling covers a broken stream and the moments after an action.
    refetchInterval: (q) => {
      if (Date.now() - actedAt < 15_000) return 500;
      return q.state.data && FINAL_RUN_STATUSES.includes(q.state.data.status) ? false : 3000;
    },
  });
  const data = run.data;
  const { events, live } = useRunEvents(api, runId, data?.revision);
  // RunStarted carries the pinned definition: the graph need not wait for a second request.
  const startedDefinition = useMemo(
    () => events.find((event) => event.type === 'RunStarted')?.data.definition as DefinitionLike | undefined,
    [events],
  );
  const definition = useQuery({
    enabled: Boolean(data?.workflow.version) && !startedDefinition,
    queryKey: ['workflow', data?.workflow.name, data?.workflow.version],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/workflows/{name}/versions/{version}', {
          params: { path: { name: data!.workflow.name, version: data!.workflow.version! } },
        }),
      ) as Promise<DefinitionLike>,
    staleTime: Infinity,
  });
  const shownDefinition = startedDefinition ?? definition.data;
  const graph = useMemo(() => (shownDefinition ? workflowGraph(shownDefinition) : null), [shownDefinition]);
  const states = useMemo(() => (data ? nodeStates(data) : undefined), [data]);
  const timeline = useMemo(() => (data ? buildTimeline(data, events) : undefined), [data, events]);
  const relations = useMemo(() => runRelations(events), [events]);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [showEvents, setShowEvents] = useState(false);
  const [signalName, setSignalName] = useState('');
  const [payload, setPayload] = useState('');

  if (run.error) return <ErrorNote error={run.error} />;
  if (!data) return <p className="muted">Loading run…</p>;
  const final = FINAL_RUN_STATUSES.includes(data.status);
  const retryable = data.status === 'FAILED' || data.status === 'TIMED_OUT';
  const awaiting = data.steps
    .map((step) => step.awaitingSignal)
    .filter((name): name is string => Boolean(name));
  const actions = data.actions ?? [];
  const cancelReason = actions.findLast((action) => action.action === 'CANCEL')?.reason;
  const refresh = () => {
    setActedAt(Date.now());
    return client.invalidateQueries({ queryKey: ['run', runId] });
  };

  return (
    <section className="page run-page">
      <header className="page-head">
        <div>
          <p className="crumbs">
            <Link to="/runs">Runs</Link> / <span className="mono">{data.runId}</span>
          </p>
          <h1>
            {data.workflow.name} <span className="muted">v{data.workflow.version}</span>{' '}
            <StatusBadge status={data.status} />{' '}
            {live ? (
              <span className="live" aria-label="live">
                ● live
              </span>
            ) : null}
          </h1>
        </div>
        <div className="row actions">
          <ActionButton {...write} disabled={final} onClick={() => setDialog('cancel')}>
            Cancel
          </ActionButton>
          <ActionButton {...write} disabled={!retryable} onClick={() => setDialog('retry')}>
            Retry from failure
          </ActionButton>
          <ActionButton
            {...write}
            disabled={final}
            onClick={() => {
              setSignalName(awaiting[0] ?? '');
              setDialog('signal');
            }}
          >
            Send signal
          </ActionButton>
        </div>
      </header>
      <dl className="facts">
        <dt>Accepted</dt>
        <dd>{when(data.acceptedAt)}</dd>
        <dt>Started</dt>
        <dd>{when(data.startedAt)}</dd>
        <dt>Finished</dt>
        <dd>{when(data.finishedAt)}</dd>
        <dt>Duration</dt>
        <dd>{duration(data.startedAt ?? data.acceptedAt, data.finishedAt) ?? '—'}</dd>
        <dt>Labels</dt>
        <dd>{labelText(data.labels) || '—'}</dd>
        <dt>Idempotency key</dt>
        <dd className="mono">{data.idempotencyKey ?? '—'}</dd>
        <dt>Run attempt</dt>
        <dd>{data.runAttempt ?? 1}</dd>
        {cancelReason ? (
          <>
            <dt>Cancelled because</dt>
            <dd aria-label="Cancel reason">{cancelReason}</dd>
          </>
        ) : null}
        {relations.parent ? (
          <>
            <dt>Parent run</dt>
            <dd>
              <Link to={`/runs/${relations.parent.runId}`} className="mono" aria-label="Parent run">
                {relations.parent.runId}
              </Link>{' '}
              <span className="muted">(step {relations.parent.stepId})</span>
            </dd>
          </>
        ) : null}
        {relations.children.length > 0 ? (
          <>
            <dt>Child runs</dt>
            <dd>
              <ul className="plain" aria-label="Child runs">
                {relations.children.map((child) => (
                  <li key={child.childRunId}>
                    <Link to={`/runs/${child.childRunId}`} className="mono">
                      {child.childRunId.slice(0, 8)}
                    </Link>{' '}
                    <span className="muted">
                      {child.workflow} (step {child.stepId})
                    </span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
      {actions.length > 0 ? (
        <>
          <h2>Actions</h2>
          <ul className="plain actions-log" aria-label="Actions">
            {actions.map((action, index) => (
              <li key={index} data-action={action.action}>
                <span className="muted">{when(action.at)}</span> {actionText(action)}
                {action.reason ? (
                  <q className="reason">{action.reason}</q>
                ) : (
                  <span className="muted">no reason given</span>
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {relations.compensation ? (
        <p className="note" role="status" aria-label="Compensation">
          {relations.compensation.failedStep ? `step ${relations.compensation.failedStep} failed; ` : ''}
          compensating {relations.compensation.steps.join(', ') || 'nothing'}
          {relations.compensation.compensated.length > 0
            ? ` — compensated: ${relations.compensation.compensated.join(', ')}`
            : ''}
          {relations.compensation.failures.length > 0
            ? ` — compensation failed: ${relations.compensation.failures.join(', ')}`
            : ''}
        </p>
      ) : null}
      {data.error ? (
        <p className="error" role="alert" aria-label="Run error">
          {data.failedStep ? `step ${data.failedStep}: ` : ''}
          {data.error.code}: {data.error.message}
        </p>
      ) : null}
      <h2>Graph</h2>
      <ErrorNote error={definition.error} />
      {graph ? (
        <DagView
          graph={graph}
          states={states}
          selected={selected}
          onSelect={(id) => setSelected(selected === id ? undefined : id)}
          label="Run graph"
        />
      ) : null}
      {selected ? (
        <StepPanel
          run={data}
          stepId={selected}
          type={graph?.nodes.find((node) => node.id === selected)?.type}
          childRuns={relations.children.filter((child) => child.stepId === selected)}
        />
      ) : null}
      <h2>Timeline</h2>
      {timeline ? <TimelineView timeline={timeline} /> : null}
      <h2>
        Attempts{' '}
        {selected ? (
          <button className="link" onClick={() => setSelected(undefined)}>
            of {selected} (show all)
          </button>
        ) : null}
      </h2>
      <AttemptList key={selected ?? '*'} run={data} stepId={selected} />
      <div className="two">
        <div>
          <h2>Input</h2>
          <JsonBlock value={data.input} label="Run input" />
        </div>
        <div>
          <h2>Output</h2>
          <JsonBlock value={data.output} label="Run output" />
        </div>
      </div>
      <details onToggle={(event) => setShowEvents(event.currentTarget.open)}>
        <summary>Raw events ({events.length})</summary>
        {showEvents ? <JsonBlock value={events} label="Raw events" /> : null}
      </details>

      {dialog === 'cancel' ? (
        <ConfirmDialog
          title="Cancel this run?"
          body={<p>Its active steps are cancelled; compensations do not run.</p>}
          reason
          confirmLabel="Cancel run"
          onClose={() => setDialog(null)}
          onConfirm={async (reason) => {
            await unwrap(
              api.POST('/api/v1/runs/{runId}/cancel', {
                params: { path: { runId } },
                body: reason ? { reason } : {},
              }),
            );
            await refresh();
          }}
        />
      ) : null}
      {dialog === 'retry' ? (
        <ConfirmDialog
          title="Retry from failure?"
          body={<p>Steps that succeeded keep their outputs; the failed ones run again.</p>}
          reason
          confirmLabel="Retry"
          onClose={() => setDialog(null)}
          onConfirm={async (reason) => {
            await unwrap(
              api.POST('/api/v1/runs/{runId}/retry', {
                params: { path: { runId } },
                body: reason ? { reason } : {},
              }),
            );
            await refresh();
          }}
        />
      ) : null}
      {dialog === 'signal' ? (
        <ConfirmDialog
          title="Send a signal"
          reason
          confirmLabel="Send"
          onClose={() => setDialog(null)}
          onConfirm={async (reason) => {
            const body = {
              name: signalName,
              ...(payload.trim() ? { payload: JSON.parse(payload) as unknown } : {}),
              ...(reason ? { reason } : {}),
            };
            await unwrap(api.POST('/api/v1/runs/{runId}/signals', { params: { path: { runId } }, body }));
            await refresh();
          }}
        >
          <label>
            Signal name
            <input value={signalName} onChange={(event) => setSignalName(event.target.value)} required />
          </label>
          <label>
            Payload (JSON, optional)
            <textarea value={payload} onChange={(event) => setPayload(event.target.value)} rows={3} />
          </label>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
