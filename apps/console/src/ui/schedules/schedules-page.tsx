import { type Schedule, unwrap } from '@spark/client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useAllowed, useSession } from '../api';
import { ActionButton, ConfirmDialog, ErrorNote, StatusBadge, when } from '../common';
import { Link } from '../router';

/** "cron 0 2 * * * (Europe/Berlin)", "every 10m", "once at …" */
export function specText(schedule: Schedule): string {
  const spec = schedule.schedule.spec;
  switch (spec.kind) {
    case 'cron':
      return `cron ${spec.expression}${spec.timezone ? ` (${spec.timezone})` : ''}`;
    case 'interval':
      return `every ${spec.every}`;
    case 'once':
      return `once at ${when(spec.at)}`;
  }
}

const lastOutcome = (schedule: Schedule): string => {
  const stats = schedule.stats ?? {};
  const outcome = stats.lastOutcome ?? stats.lastStatus ?? stats.lastRunStatus;
  return typeof outcome === 'string' ? outcome : '—';
};

type Action = { kind: 'pause' | 'resume' | 'trigger'; schedule: Schedule } | null;

export function SchedulesPage() {
  const { api } = useSession();
  const client = useQueryClient();
  const write = useAllowed('write');
  const list = useQuery({
    queryKey: ['schedules'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/schedules'))) as unknown as Schedule[],
    refetchInterval: 5000,
  });
  const [action, setAction] = useState<Action>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const fireTimes = useQuery({
    enabled: preview !== null,
    queryKey: ['fire-times', preview],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/schedules/{scheduleId}/fire-times', {
          params: { path: { scheduleId: preview! }, query: { count: 5 } },
        }),
      ),
  });
  const run = async (kind: 'pause' | 'resume' | 'trigger', id: string, reason: string) => {
    const path = { params: { path: { scheduleId: id } } };
    if (kind === 'pause')
      await unwrap(
        api.POST('/api/v1/schedules/{scheduleId}/pause', { ...path, body: reason ? { reason } : {} }),
      );
    else if (kind === 'resume') await unwrap(api.POST('/api/v1/schedules/{scheduleId}/resume', path));
    else await unwrap(api.POST('/api/v1/schedules/{scheduleId}/trigger', path));
    await client.invalidateQueries({ queryKey: ['schedules'] });
  };
  const schedules = (list.data ?? []).filter((schedule) => schedule.status !== 'deleted');
  return (
    <section className="page schedules-page">
      <header className="page-head">
        <h1>Schedules</h1>
      </header>
      <ErrorNote error={list.error} />
      <div className="cards">
        {schedules.map((schedule) => (
          <article
            key={schedule.id}
            className="card"
            data-schedule={schedule.id}
            aria-label={`Schedule ${schedule.id}`}
          >
            <header className="row">
              <h2 className="mono">{schedule.id}</h2>
              <StatusBadge status={schedule.status} />
            </header>
            <dl className="facts">
              <dt>When</dt>
              <dd>{specText(schedule)}</dd>
              <dt>Workflow</dt>
              <dd>
                <Link to={`/workflows/${encodeURIComponent(schedule.schedule.workflow.name)}`}>
                  {schedule.schedule.workflow.name}
                </Link>
                {schedule.schedule.workflow.version ? ` v${schedule.schedule.workflow.version}` : ' (latest)'}
              </dd>
              <dt>Next fire</dt>
              <dd>{when(schedule.nextFire?.fireAt)}</dd>
              <dt>Last fire</dt>
              <dd>{when(schedule.lastNominalTime)}</dd>
              <dt>Last outcome</dt>
              <dd>{lastOutcome(schedule)}</dd>
              <dt>Running</dt>
              <dd>
                {schedule.runningRunIds.length === 0
                  ? 'none'
                  : schedule.runningRunIds.map((id) => (
                      <Link key={id} to={`/runs/${id}`} className="mono">
                        {id.slice(0, 8)}{' '}
                      </Link>
                    ))}
              </dd>
            </dl>
            <div className="row">
              {schedule.status === 'paused' ? (
                <ActionButton {...write} onClick={() => setAction({ kind: 'resume', schedule })}>
                  Resume
                </ActionButton>
              ) : (
                <ActionButton
                  {...write}
                  disabled={schedule.status !== 'active'}
                  onClick={() => setAction({ kind: 'pause', schedule })}
                >
                  Pause
                </ActionButton>
              )}
              <ActionButton {...write} onClick={() => setAction({ kind: 'trigger', schedule })}>
                Trigger now
              </ActionButton>
              <button
                onClick={() => setPreview(preview === schedule.id ? null : schedule.id)}
                aria-expanded={preview === schedule.id}
              >
                Preview
              </button>
            </div>
            {preview === schedule.id ? (
              <div aria-label="Next fire times" role="region">
                <ErrorNote error={fireTimes.error} />
                <ol>
                  {(fireTimes.data?.fireTimes ?? []).map((time) => (
                    <li key={time}>{when(time)}</li>
                  ))}
                </ol>
              </div>
            ) : null}
          </article>
        ))}
        {list.data && schedules.length === 0 ? <p className="muted">No schedules.</p> : null}
      </div>
      {action ? (
        <ConfirmDialog
          title={`${action.kind === 'trigger' ? 'Trigger' : action.kind === 'pause' ? 'Pause' : 'Resume'} schedule ${action.schedule.id}?`}
          reason={action.kind === 'pause'}
          confirmLabel={action.kind === 'trigger' ? 'Trigger' : action.kind === 'pause' ? 'Pause' : 'Resume'}
          onClose={() => setAction(null)}
          onConfirm={(reason) => run(action.kind, action.schedule.id, reason)}
        />
      ) : null}
    </section>
  );
}
