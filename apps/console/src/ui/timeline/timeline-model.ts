import { type Run, type RunEvent } from '@spark/client';

type Attempt = Run['steps'][number]['attempts'][number];

/** queued: dispatched, not started; running: started; backoff: waiting to retry; waiting: a wait or signal step; child: a subworkflow's run. */
export type SegmentKind = 'queued' | 'running' | 'backoff' | 'waiting' | 'child';

export interface Segment {
  kind: SegmentKind;
  /** Epoch milliseconds. */
  from: number;
  to: number;
  /** The attempt's status, for a running segment. */
  status?: string;
  label: string;
}

/** A durable timer on a row: a retry, a wait's end, a signal's timeout, the run's timeout. */
export interface Marker {
  at: number;
  fired: boolean;
  label: string;
}

export interface TimelineRow {
  id: string;
  stepId: string;
  kind: 'step' | 'item' | 'compensation';
  itemIndex?: number;
  status: string;
  label: string;
  segments: Segment[];
  markers: Marker[];
  /** A map step's items, each a row of its own (shown when the step is expanded). */
  items?: TimelineRow[];
  childRunIds?: string[];
}

export interface Timeline {
  start: number;
  end: number;
  rows: TimelineRow[];
}

export interface RunRelations {
  parent?: { runId: string; stepId: string };
  children: { childRunId: string; stepId: string; workflow: string }[];
  /** Set once the run compensates: the failed step and the steps to compensate, in order. */
  compensation?: {
    failedStep?: string;
    steps: string[];
    compensated: string[];
    failures: string[];
  };
}

const TIMER_LABELS: Record<string, string> = {
  retry: 'retry timer',
  wait: 'wait ends',
  signalTimeout: 'signal timeout',
  runTimeout: 'run timeout',
};

const time = (iso: unknown): number | undefined => {
  if (typeof iso !== 'string') return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
};
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Parent, child runs and compensation, as the run's events tell them. */
export function runRelations(events: readonly RunEvent[]): RunRelations {
  const relations: RunRelations = { children: [] };
  const seen = new Set<string>();
  for (const event of events) {
    const data = event.data;
    switch (event.type) {
      case 'RunStarted': {
        const parent = data.parent as { runId?: unknown; stepId?: unknown } | undefined;
        if (parent && typeof parent.runId === 'string' && typeof parent.stepId === 'string')
          relations.parent = { runId: parent.runId, stepId: parent.stepId };
        break;
      }
      case 'ChildRunRequested': {
        const childRunId = str(data.childRunId);
        if (!childRunId || seen.has(childRunId)) break;
        seen.add(childRunId);
        const workflow = data.workflow as { name?: unknown } | undefined;
        relations.children.push({
          childRunId,
          stepId: str(data.stepId) ?? '',
          workflow: str(workflow?.name) ?? '',
        });
        break;
      }
      case 'RunCompensating':
        relations.compensation = {
          ...(str(data.failedStep) ? { failedStep: str(data.failedStep)! } : {}),
          steps: Array.isArray(data.steps)
            ? data.steps.filter((s): s is string => typeof s === 'string')
            : [],
          compensated: [],
          failures: [],
        };
        break;
      case 'StepCompensated':
        relations.compensation?.compensated.push(str(data.stepId) ?? '');
        break;
      case 'StepCompensationFailed':
        relations.compensation?.failures.push(str(data.stepId) ?? '');
        break;
      default:
        break;
    }
  }
  return relations;
}

/** Queued and running segments of one attempt (open ends reach `now`). */
function attemptSegments(attempt: Attempt, now: number): Segment[] {
  const dispatched = time(attempt.dispatchedAt);
  const started = time(attempt.startedAt);
  const finished = time(attempt.finishedAt);
  const segments: Segment[] = [];
  const name = `attempt ${attempt.attempt}`;
  // A task that finished without a start report (a fast one) counts as running from its dispatch.
  if (dispatched !== undefined && (started !== undefined || finished === undefined)) {
    const to = started ?? now;
    if (to > dispatched) segments.push({ kind: 'queued', from: dispatched, to, label: `${name} queued` });
  }
  const from = started ?? (finished !== undefined && dispatched === undefined ? finished : undefined);
  if (from !== undefined)
    segments.push({
      kind: 'running',
      from,
      to: finished ?? now,
      status: attempt.status,
      label: `${name} ${attempt.status.toLowerCase()}`,
    });
  else if (finished !== undefined)
    segments.push({
      kind: 'running',
      from: dispatched ?? finished,
      to: finished,
      status: attempt.status,
      label: `${name} ${attempt.status.toLowerCase()}`,
    });
  return segments;
}

const rowKey = (stepId: string, itemIndex: number | undefined, purpose: string) =>
  `${purpose}:${stepId}:${itemIndex ?? ''}`;

/**
 * The run's Gantt chart: a row per step (a map step's items as rows of their own, compensations as
 * rows of their own) with every attempt queued and running, the backoff before each retry, waits for
 * time or a signal, child runs, and timers as markers.
 */
export function buildTimeline(run: Run, events: readonly RunEvent[], now = Date.now()): Timeline {
  // Where each task belongs (its step, item and purpose): from the attempts and the dispatches.
  const taskRow = new Map<string, string>();
  for (const step of run.steps)
    for (const attempt of step.attempts)
      taskRow.set(attempt.taskId, rowKey(attempt.stepId, attempt.itemIndex, attempt.purpose));
  for (const event of events)
    if (event.type === 'TaskDispatched' && typeof event.data.taskId === 'string')
      taskRow.set(
        event.data.taskId,
        rowKey(
          str(event.data.stepId) ?? '',
          typeof event.data.itemIndex === 'number' ? event.data.itemIndex : undefined,
          str(event.data.purpose) ?? 'step',
        ),
      );

  const extra = new Map<string, { segments: Segment[]; markers: Marker[] }>();
  const extraOf = (key: string) => {
    let found = extra.get(key);
    if (!found) extra.set(key, (found = { segments: [], markers: [] }));
    return found;
  };
  // When each step ended (its last event), to close its waits and child runs.
  const stepEnd = new Map<string, number>();
  const fired = new Set<string>();
  const timers: { timerId: string; key: string; at: number; label: string }[] = [];
  const waits: { stepId: string; from: number; label: string }[] = [];
  const children: { stepId: string; from: number; childRunId: string }[] = [];
  for (const event of events) {
    const data = event.data;
    const at = time(event.recordedAt) ?? now;
    switch (event.type) {
      case 'StepRetryScheduled': {
        const key = taskRow.get(str(data.taskId) ?? '');
        const retryAt = time(data.retryAt);
        const delayMs = Number(data.delayMs);
        // `attempt` is the attempt the backoff leads to; it starts when the failure was decided.
        if (key && retryAt !== undefined && delayMs > 0)
          extraOf(key).segments.push({
            kind: 'backoff',
            from: retryAt - delayMs,
            to: retryAt,
            label: `backoff ${Math.round(delayMs)} ms before attempt ${String(data.attempt)}`,
          });
        break;
      }
      case 'StepWaiting': {
        const stepId = str(data.stepId);
        if (!stepId) break;
        const until = str(data.until);
        const signal = str(data.signal);
        waits.push({
          stepId,
          from: at,
          label: signal ? `awaits signal "${signal}"` : until ? `waits until ${until}` : 'waits',
        });
        break;
      }
      case 'ChildRunRequested': {
        const stepId = str(data.stepId);
        const childRunId = str(data.childRunId);
        if (stepId && childRunId) children.push({ stepId, from: time(data.requestedAt) ?? at, childRunId });
        break;
      }
      case 'TimerScheduled': {
        const purpose = str(data.purpose) ?? '';
        const label = TIMER_LABELS[purpose];
        const fireAt = time(data.fireAt);
        if (!label || fireAt === undefined) break;
        const key =
          (data.taskId !== undefined ? taskRow.get(str(data.taskId) ?? '') : undefined) ??
          (str(data.stepId) ? rowKey(str(data.stepId)!, undefined, 'step') : 'run');
        timers.push({ timerId: str(data.timerId) ?? '', key, at: fireAt, label });
        break;
      }
      case 'TimerFired':
        fired.add(str(data.timerId) ?? '');
        break;
      case 'StepSucceeded':
      case 'StepFailed':
      case 'StepSkipped':
      case 'StepCancelled':
      case 'StepCompensated':
      case 'StepCompensationFailed': {
        const stepId = str(data.stepId);
        if (stepId) stepEnd.set(stepId, time(data.at) ?? at);
        break;
      }
      case 'RunResumed':
        // Retried from failure: reset steps run again; their earlier ends no longer close anything new.
        for (const stepId of Array.isArray(data.resetSteps) ? data.resetSteps : [])
          if (typeof stepId === 'string') stepEnd.delete(stepId);
        break;
      default:
        break;
    }
  }
  const closeOf = (stepId: string, from: number) => {
    const end = stepEnd.get(stepId);
    return end !== undefined && end >= from ? end : now;
  };
  for (const wait of waits)
    extraOf(rowKey(wait.stepId, undefined, 'step')).segments.push({
      kind: 'waiting',
      from: wait.from,
      to: closeOf(wait.stepId, wait.from),
      label: wait.label,
    });
  for (const child of children)
    extraOf(rowKey(child.stepId, undefined, 'step')).segments.push({
      kind: 'child',
      from: child.from,
      to: closeOf(child.stepId, child.from),
      label: `child run ${child.childRunId.slice(0, 8)}`,
    });
  // One run with its timers: hundreds of items each with its own timeout timers stay off the chart.
  for (const timer of timers)
    extraOf(timer.key).markers.push({ at: timer.at, fired: fired.has(timer.timerId), label: timer.label });

  const rows: TimelineRow[] = [];
  for (const step of run.steps) {
    const byItem = new Map<number, Attempt[]>();
    const plain: Attempt[] = [];
    const compensation: Attempt[] = [];
    for (const attempt of step.attempts) {
      if (attempt.purpose === 'compensation') compensation.push(attempt);
      else if (attempt.itemIndex !== undefined) {
        const list = byItem.get(attempt.itemIndex) ?? [];
        list.push(attempt);
        byItem.set(attempt.itemIndex, list);
      } else plain.push(attempt);
    }
    const own = extra.get(rowKey(step.stepId, undefined, 'step'));
    const childRunIds = children.filter((c) => c.stepId === step.stepId).map((c) => c.childRunId);
    const row: TimelineRow = {
      id: rowKey(step.stepId, undefined, 'step'),
      stepId: step.stepId,
      kind: 'step',
      status: step.status,
      label: step.stepId,
      segments: [...plain.flatMap((attempt) => attemptSegments(attempt, now)), ...(own?.segments ?? [])],
      markers: own?.markers ?? [],
      ...(childRunIds.length > 0 ? { childRunIds } : {}),
    };
    if (byItem.size > 0) {
      const items = [...byItem.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([itemIndex, attempts]): TimelineRow => {
          const key = rowKey(step.stepId, itemIndex, 'step');
          const last = attempts[attempts.length - 1]!;
          return {
            id: key,
            stepId: step.stepId,
            kind: 'item',
            itemIndex,
            status: last.status,
            label: `${step.stepId}[${itemIndex}]`,
            segments: [
              ...attempts.flatMap((attempt) => attemptSegments(attempt, now)),
              ...(extra.get(key)?.segments ?? []),
            ],
            markers: extra.get(key)?.markers ?? [],
          };
        });
      const spans = items.flatMap((item) => item.segments);
      const from = Math.min(...spans.map((s) => s.from));
      const to = Math.max(...spans.map((s) => s.to));
      if (Number.isFinite(from) && Number.isFinite(to))
        row.segments.push({
          kind: 'running',
          from,
          to,
          status: step.status,
          label: `${items.length} items, ${items.filter((item) => item.status === 'SUCCEEDED').length} succeeded`,
        });
      row.items = items;
    }
    rows.push(row);
    if (compensation.length > 0) {
      const key = rowKey(step.stepId, undefined, 'compensation');
      const last = compensation[compensation.length - 1]!;
      rows.push({
        id: key,
        stepId: step.stepId,
        kind: 'compensation',
        status: last.status,
        label: `${step.stepId} (compensation)`,
        segments: compensation.flatMap((attempt) => attemptSegments(attempt, now)),
        markers: extra.get(key)?.markers ?? [],
      });
    }
  }
  const runTimers = extra.get('run');
  if (runTimers && runTimers.markers.length > 0)
    rows.push({
      id: 'run',
      stepId: '',
      kind: 'step',
      status: run.status,
      label: '(run)',
      segments: [],
      markers: runTimers.markers,
    });

  const all = rows.flatMap((row) => [...row.segments, ...(row.items ?? []).flatMap((item) => item.segments)]);
  const firstEvent = events.length > 0 ? time(events[0]!.recordedAt) : undefined;
  const start = Math.min(
    time(run.acceptedAt) ?? time(run.startedAt) ?? firstEvent ?? now,
    ...all.map((segment) => segment.from),
  );
  const finished = time(run.finishedAt);
  const end = Math.max(finished ?? now, ...all.map((segment) => segment.to), start + 1);
  return { start, end, rows };
}
