import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import { Link } from '../router';
import { type Segment, type Timeline, type TimelineRow } from './timeline-model';

const ITEM_ROW = 24;

/** "+340 ms", "+1.2 s", "+3 min 5 s" from the chart's start. */
export function offset(ms: number): string {
  if (ms < 1000) return `+${Math.round(ms)} ms`;
  if (ms < 60_000) return `+${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `+${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `+${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function Bars({ row, timeline }: { row: TimelineRow; timeline: Timeline }) {
  const span = timeline.end - timeline.start;
  const left = (at: number) => `${(Math.max(0, Math.min(span, at - timeline.start)) / span) * 100}%`;
  const width = (segment: Segment) =>
    `max(2px, ${((Math.min(segment.to, timeline.end) - Math.max(segment.from, timeline.start)) / span) * 100}%)`;
  return (
    <div className="tl-track">
      {row.segments.map((segment, index) => {
        const text = `${segment.label}: ${offset(segment.from - timeline.start)} for ${offset(segment.to - segment.from).slice(1)}`;
        return (
          <span
            key={index}
            className={`tl-bar tl-${segment.kind}${segment.status ? ` status-${segment.status.toLowerCase()}` : ''}`}
            style={{ left: left(segment.from), width: width(segment) }}
            title={text}
            role="img"
            aria-label={text}
          />
        );
      })}
      {row.markers
        .filter((marker) => marker.at >= timeline.start && marker.at <= timeline.end)
        .map((marker, index) => {
          const text = `${marker.label} ${marker.fired ? 'fired' : 'due'} at ${offset(marker.at - timeline.start)}`;
          return (
            <span
              key={`m${index}`}
              className={`tl-marker${marker.fired ? ' fired' : ''}`}
              style={{ left: left(marker.at) }}
              title={text}
              role="img"
              aria-label={text}
            />
          );
        })}
    </div>
  );
}

function Items({ row, timeline }: { row: TimelineRow; timeline: Timeline }) {
  const items = row.items ?? [];
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ITEM_ROW,
    overscan: 10,
  });
  return (
    <div className="tl-items scroller short" ref={scroller} aria-label={`Items of ${row.stepId}`} role="list">
      <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
        {virtual.getVirtualItems().map((entry) => {
          const item = items[entry.index]!;
          return (
            <div
              key={item.id}
              className="tl-row item"
              role="listitem"
              data-timeline-item={item.itemIndex}
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                height: ITEM_ROW,
                transform: `translateY(${entry.start}px)`,
              }}
            >
              <span className="tl-label muted">[{item.itemIndex}]</span>
              <Bars row={item} timeline={timeline} />
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** The run's Gantt chart: each step's attempts, backoffs, waits and child runs on one time axis. */
export function TimelineView({ timeline }: { timeline: Timeline }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const span = timeline.end - timeline.start;
  return (
    <div className="timeline" role="group" aria-label="Timeline">
      <div className="tl-row tl-axis" aria-hidden="true">
        <span className="tl-label" />
        <div className="tl-track">
          {[0, 0.25, 0.5, 0.75, 1].map((share) => (
            <span key={share} className="tl-tick" style={{ left: `${share * 100}%` }}>
              {offset(span * share)}
            </span>
          ))}
        </div>
      </div>
      <ul className="tl-rows">
        {timeline.rows.map((row) => (
          <li key={row.id} data-timeline-row={row.id} data-status={row.status}>
            <div className={`tl-row ${row.kind}`}>
              <span className="tl-label">
                {row.items ? (
                  <button
                    className="link"
                    aria-expanded={open.has(row.id)}
                    aria-label={`${open.has(row.id) ? 'Collapse' : 'Expand'} the ${row.items.length} items of ${row.stepId}`}
                    onClick={() => toggle(row.id)}
                  >
                    {open.has(row.id) ? '▾' : '▸'} {row.label}{' '}
                    <span className="muted">({row.items.length})</span>
                  </button>
                ) : (
                  row.label
                )}
                {row.childRunIds?.map((childRunId) => (
                  <Link key={childRunId} to={`/runs/${childRunId}`} className="tl-child">
                    child {childRunId.slice(0, 8)}
                  </Link>
                ))}
              </span>
              <Bars row={row} timeline={timeline} />
            </div>
            {row.items && open.has(row.id) ? <Items row={row} timeline={timeline} /> : null}
          </li>
        ))}
      </ul>
      <p className="tl-legend muted">
        <span className="tl-key tl-queued" /> queued <span className="tl-key tl-running status-succeeded" />{' '}
        running <span className="tl-key tl-backoff" /> backoff before a retry{' '}
        <span className="tl-key tl-waiting" /> waiting <span className="tl-key tl-child" /> child run{' '}
        <span className="tl-key tl-marker" /> timer
      </p>
    </div>
  );
}
