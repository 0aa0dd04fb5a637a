import { type Run } from '@spark/client';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import { JsonBlock, StatusBadge, duration, when } from '../common';

type Attempt = Run['steps'][number]['attempts'][number];
const ROW = 36;

/** Every attempt of the shown steps; a map step's hundreds of items stay cheap (virtualized). */
export function AttemptList({ run, stepId }: { run: Run; stepId?: string | undefined }) {
  const attempts: Attempt[] = run.steps
    .filter((step) => !stepId || step.stepId === stepId)
    .flatMap((step) => step.attempts);
  // By place in the list: a run retried from failure can list the same task id again.
  const [open, setOpen] = useState<number | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({
    count: attempts.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 8,
  });
  const shown = open === null ? undefined : attempts[open];
  return (
    <div className="attempts">
      <div className="table compact" role="table" aria-label="Attempts">
        <div className="tr th" role="row">
          <span role="columnheader">Step</span>
          <span role="columnheader">Attempt</span>
          <span role="columnheader">Status</span>
          <span role="columnheader">Started</span>
          <span role="columnheader">Duration</span>
          <span role="columnheader" className="wide">
            Error
          </span>
        </div>
        <div className="scroller short" ref={scroller}>
          <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
            {rows.getVirtualItems().map((row) => {
              const attempt = attempts[row.index]!;
              return (
                <div
                  key={`${attempt.taskId}:${attempt.attempt}:${row.index}`}
                  role="row"
                  tabIndex={0}
                  className={`tr clickable${open === row.index ? ' selected' : ''}`}
                  data-attempt={`${attempt.stepId}#${attempt.attempt}`}
                  aria-current={open === row.index ? 'true' : undefined}
                  onClick={() => setOpen(open === row.index ? null : row.index)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      setOpen(open === row.index ? null : row.index);
                    }
                  }}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: ROW,
                    transform: `translateY(${row.start}px)`,
                  }}
                >
                  <span role="cell">
                    {attempt.stepId}
                    {attempt.itemIndex !== undefined ? (
                      <span className="muted">[{attempt.itemIndex}]</span>
                    ) : null}
                    {attempt.purpose === 'compensation' ? (
                      <span className="muted"> (compensation)</span>
                    ) : null}
                  </span>
                  <span role="cell">#{attempt.attempt}</span>
                  <span role="cell">
                    <StatusBadge status={attempt.status} />
                  </span>
                  <span role="cell">{when(attempt.startedAt ?? attempt.dispatchedAt)}</span>
                  <span role="cell">
                    {duration(attempt.startedAt ?? attempt.dispatchedAt, attempt.finishedAt) ?? '—'}
                  </span>
                  <span role="cell" className="wide error-text">
                    {attempt.error ? `${attempt.error.code}: ${attempt.error.message}` : ''}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
      {shown ? (
        <div
          className="attempt-detail"
          aria-label={`Attempt ${shown.attempt} of ${shown.stepId}`}
          role="region"
        >
          <h3>
            {shown.stepId}
            {shown.itemIndex !== undefined ? `[${shown.itemIndex}]` : ''} · attempt {shown.attempt}
          </h3>
          <dl>
            <dt>Handler</dt>
            <dd>{shown.handler ?? '—'}</dd>
            <dt>Dispatched</dt>
            <dd>{when(shown.dispatchedAt)}</dd>
            <dt>Started</dt>
            <dd>{when(shown.startedAt)}</dd>
            <dt>Finished</dt>
            <dd>{when(shown.finishedAt)}</dd>
            <dt>Duration</dt>
            <dd>{duration(shown.startedAt ?? shown.dispatchedAt, shown.finishedAt) ?? '—'}</dd>
          </dl>
          {shown.input !== undefined ? (
            <>
              <h4>Input</h4>
              <JsonBlock value={shown.input} label="Attempt input" />
            </>
          ) : null}
          {shown.error ? (
            <>
              <h4>Error</h4>
              <JsonBlock value={shown.error} label="Attempt error" />
            </>
          ) : null}
          {shown.output !== undefined ? (
            <>
              <h4>Output</h4>
              <JsonBlock value={shown.output} label="Attempt output" />
            </>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
