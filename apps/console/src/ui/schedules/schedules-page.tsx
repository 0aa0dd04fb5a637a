import { type ScheduleDefinition, unwrap } from '@spark/client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useAllowed, useSession } from '../api';
import { ActionButton, ConfirmDialog, ErrorNote, StatusBadge, when } from '../common';
import { Link } from '../router';

/**
 * A row of GET /api/v1/schedules: the read model's view (the document types it as a free-form
 * object), so only what the page shows is named here, and every field is optional to it.
 */
export interface ScheduleListItem {
  id: string;
  status: string;
  workflow?: { name: string; version: number | null };
  definition?: Partial<ScheduleDefinition>;
  nextFireAt?: string | null;
  lastNominalTime?: string | null;
  lastRunId?: string | null;
  lastOutcome?: string | null;
  runningCount?: number;
  fireCount?: number;
}

/** "cron 0 2 * * * (Europe/Berlin)", "every 10m", "once at …" */
export function specText(definition?: Partial<ScheduleDefinition>): string {
  const spec = definition?.spec;
  switch (spec?.kind) {
    case 'cron':
      return `cron ${spec.expression}${spec.timezone ? ` (${spec.timezone})` : ''}`;
    case 'interval':
      return `every ${spec.every}`;
    case 'once':
      return `once at ${when(spec.at)}`;
    default:
      return '—';
  }
}

type Kind = 'pause' | 'resume' | 'trigger' | 'backfill';
type Action = { kind: Kind; schedule: ScheduleListItem } | null;
const VERB: Record<Kind, string> = {
  pause: 'Pause',
  resume: 'Resume',
  trigger: 'Trigger',
  backfill: 'Backfill',
};
const OVERLAPS = [
  'SKIP',
  'BUFFER_ONE',
  'BUFFER_ALL',
  'CANCEL_OTHER',
  'TERMINATE_OTHER',
  'ALLOW_ALL',
] as const;
type Overlap = (typeof OVERLAPS)[number];

/** A datetime-local value (the browser's time zone) as an ISO instant; undefined when unset or invalid. */
export function localToIso(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** "3 runs started (1 skipped, 2 buffered)" */
export function firedText(result: { fired: unknown[]; skipped: unknown[]; buffered: unknown[] }): string {
  const extra = [
    result.skipped.length ? `${result.skipped.length} skipped` : '',
    result.buffered.length ? `${result.buffered.length} buffered` : '',
  ].filter(Boolean);
  return `${result.fired.length} run${result.fired.length === 1 ? '' : 's'} started${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

export function SchedulesPage() {
  const { api } = useSession();
  const client = useQueryClient();
  const write = useAllowed('write');
  const list = useQuery({
    queryKey: ['schedules'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/schedules'))) as unknown as ScheduleListItem[],
    refetchInterval: 5000,
  });
  const [action, setAction] = useState<Action>(null);
  // The list comes from the read model, a moment behind; a command's own answer shows at once.
  const [overrides, setOverrides] = useState<Record<string, string>>({});
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
  const [range, setRange] = useState<{ from: string; to: string; overlap: Overlap | '' }>({
    from: '',
    to: '',
    overlap: '',
  });
  const [outcome, setOutcome] = useState<{ id: string; text: string } | null>(null);
  const run = async (kind: Kind, id: string, reason: string) => {
    const path = { params: { path: { scheduleId: id } } };
    if (kind === 'backfill') {
      const from = localToIso(range.from);
      const to = localToIso(range.to);
      if (!from || !to) throw new Error('Give both ends of the range');
      if (from >= to) throw new Error('"From" must be before "To"');
      const result = await unwrap(
        api.POST('/api/v1/schedules/{scheduleId}/backfill', {
          ...path,
          body: { from, to, ...(range.overlap ? { overlap: range.overlap } : {}) },
        }),
      );
      setOutcome({ id, text: `Backfill: ${firedText(result)}` });
      await client.invalidateQueries({ queryKey: ['schedules'] });
      return;
    }
    const result =
      kind === 'pause'
        ? await unwrap(
            api.POST('/api/v1/schedules/{scheduleId}/pause', { ...path, body: reason ? { reason } : {} }),
          )
        : kind === 'resume'
          ? await unwrap(api.POST('/api/v1/schedules/{scheduleId}/resume', path))
          : await unwrap(api.POST('/api/v1/schedules/{scheduleId}/trigger', path));
    setOverrides((current) => ({ ...current, [id]: result.schedule.status }));
    await client.invalidateQueries({ queryKey: ['schedules'] });
  };
  const schedules = (list.data ?? [])
    .map((schedule) => ({ ...schedule, status: overrides[schedule.id] ?? schedule.status }))
    .filter((schedule) => schedule.status !== 'deleted');
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
              <dd>{specText(schedule.definition)}</dd>
              <dt>Workflow</dt>
              <dd>
                {schedule.workflow ? (
                  <>
                    <Link to={`/workflows/${encodeURIComponent(schedule.workflow.name)}`}>
                      {schedule.workflow.name}
                    </Link>
                    {schedule.workflow.version ? ` v${schedule.workflow.version}` : ' (latest)'}
                  </>
                ) : (
                  '—'
                )}
              </dd>
              <dt>Next fire</dt>
              <dd>{schedule.status === 'active' ? when(schedule.nextFireAt) : '—'}</dd>
              <dt>Last fire</dt>
              <dd>{when(schedule.lastNominalTime)}</dd>
              <dt>Last outcome</dt>
              <dd>
                {schedule.lastOutcome ?? '—'}
                {schedule.lastRunId ? (
                  <>
                    {' '}
                    <Link to={`/runs/${schedule.lastRunId}`}>last run</Link>
                  </>
                ) : null}
              </dd>
              <dt>Running</dt>
              <dd>{schedule.runningCount ?? 0}</dd>
              <dt>Fires</dt>
              <dd>{schedule.fireCount ?? 0}</dd>
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
              <ActionButton {...write} onClick={() => setAction({ kind: 'backfill', schedule })}>
                Backfill
              </ActionButton>
              <button
                onClick={() => setPreview(preview === schedule.id ? null : schedule.id)}
                aria-expanded={preview === schedule.id}
              >
                Preview
              </button>
            </div>
            {outcome?.id === schedule.id ? (
              <p role="status" aria-label={`Outcome of ${schedule.id}`}>
                {outcome.text}
              </p>
            ) : null}
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
          title={`${VERB[action.kind]} schedule ${action.schedule.id}?`}
          reason={action.kind === 'pause'}
          reasonMaxLength={1000}
          confirmLabel={VERB[action.kind]}
          onClose={() => setAction(null)}
          onConfirm={(reason) => run(action.kind, action.schedule.id, reason)}
          body={
            action.kind === 'backfill' ? (
              <p>
                Every calendar time in the range fires now (at most 1,000); times that already ran keep their
                run.
              </p>
            ) : undefined
          }
        >
          {action.kind === 'backfill' ? (
            <>
              <label>
                From
                <input
                  type="datetime-local"
                  step={1}
                  required
                  value={range.from}
                  onChange={(event) => setRange({ ...range, from: event.target.value })}
                />
              </label>
              <label>
                To (not in the future)
                <input
                  type="datetime-local"
                  step={1}
                  required
                  value={range.to}
                  onChange={(event) => setRange({ ...range, to: event.target.value })}
                />
              </label>
              <label>
                Overlap
                <select
                  value={range.overlap}
                  onChange={(event) => setRange({ ...range, overlap: event.target.value as Overlap | '' })}
                >
                  <option value="">the schedule's</option>
                  {OVERLAPS.map((overlap) => (
                    <option key={overlap} value={overlap}>
                      {overlap.toLowerCase().replace(/_/g, ' ')}
                    </option>
                  ))}
                </select>
              </label>
            </>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
