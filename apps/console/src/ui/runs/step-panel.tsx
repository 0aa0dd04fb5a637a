import { type Run } from '@spark/client';
import { StatusBadge } from '../common';
import { Link } from '../router';
import { type RunRelations } from '../timeline';

/** The selected node opened up: a map step's items one square each, a subworkflow's child runs. */
export function StepPanel({
  run,
  stepId,
  type,
  childRuns,
}: {
  run: Run;
  stepId: string;
  type: string | undefined;
  childRuns: RunRelations['children'];
}) {
  const step = run.steps.find((candidate) => candidate.stepId === stepId);
  const items = new Map<number, string>();
  for (const attempt of step?.attempts ?? [])
    if (attempt.itemIndex !== undefined && attempt.purpose === 'step')
      items.set(attempt.itemIndex, attempt.status);
  const counts = new Map<string, number>();
  for (const status of items.values()) counts.set(status, (counts.get(status) ?? 0) + 1);
  return (
    <section className="step-panel" aria-label={`Step ${stepId}`}>
      <h3>
        {stepId} <span className="muted">{type}</span> {step ? <StatusBadge status={step.status} /> : null}
      </h3>
      {step?.skipReason ? <p className="muted">skipped: {step.skipReason}</p> : null}
      {step?.awaitingSignal ? <p>awaits signal "{step.awaitingSignal}"</p> : null}
      {items.size > 0 ? (
        <>
          <p>
            {items.size} items:{' '}
            {[...counts.entries()].map(([status, count]) => `${count} ${status.toLowerCase()}`).join(', ')}
          </p>
          <div
            className="item-grid"
            role="img"
            aria-label={`Items of ${stepId}: ${[...counts.entries()].map(([status, count]) => `${count} ${status.toLowerCase()}`).join(', ')}`}
          >
            {[...items.entries()]
              .sort((a, b) => a[0] - b[0])
              .map(([index, status]) => (
                <span
                  key={index}
                  className={`status-${status.toLowerCase()}`}
                  title={`item ${index}: ${status.toLowerCase()}`}
                />
              ))}
          </div>
        </>
      ) : null}
      {childRuns.length > 0 ? (
        <ul className="plain" aria-label={`Child runs of ${stepId}`}>
          {childRuns.map((child) => (
            <li key={child.childRunId}>
              child run{' '}
              <Link to={`/runs/${child.childRunId}`} className="mono">
                {child.childRunId}
              </Link>{' '}
              <span className="muted">{child.workflow}</span>
            </li>
          ))}
        </ul>
      ) : type === 'subworkflow' ? (
        <p className="muted">no child run yet</p>
      ) : null}
    </section>
  );
}
