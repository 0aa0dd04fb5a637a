import { type ReadModelChange } from './read-model-change';

type Change<Kind extends ReadModelChange['kind']> = Extract<ReadModelChange, { kind: Kind }>;
type AttemptChange = Change<'attemptUpserted'> | Change<'attemptUpdated'>;

/**
 * A batch's read-model changes grouped so that they take a few statements instead of one each:
 * - new runs are inserts that ignore what exists, so all of them go in one statement;
 * - a run's updates are merged into one (later fields win; `startedAt` keeps the first, as the column
 *   only ever fills an empty cell), carrying the last event's revision and position;
 * - an attempt's changes are merged while they can be: updates fold into the change before them; an upsert
 *   that follows another change of the same attempt starts a new entry (applied after, in order);
 * - workflow and schedule changes (counters, derived columns) stay one statement each, in order.
 * Rows guard themselves by position, so applying the merged changes leaves each row as applying the
 * changes one by one would.
 */
export interface CoalescedChanges {
  runsStarted: Change<'runStarted'>[];
  runUpdates: Change<'runUpdated'>[];
  attempts: AttemptChange[];
  /** In batch order. */
  others: ReadModelChange[];
}

export function coalesceChanges(changes: readonly ReadModelChange[]): CoalescedChanges {
  const runsStarted = new Map<string, Change<'runStarted'>>();
  const runUpdates = new Map<string, Change<'runUpdated'>>();
  const attempts: AttemptChange[] = [];
  const latestAttempt = new Map<string, number>();
  const others: ReadModelChange[] = [];
  for (const change of changes) {
    switch (change.kind) {
      case 'runStarted':
        if (!runsStarted.has(change.runId)) runsStarted.set(change.runId, change);
        break;
      case 'runUpdated': {
        const before = runUpdates.get(change.runId);
        runUpdates.set(change.runId, before ? mergeRunUpdates(before, change) : change);
        break;
      }
      case 'attemptUpserted':
      case 'attemptUpdated': {
        const key = `${change.runId}\u0000${change.taskId}\u0000${change.attempt}`;
        const at = latestAttempt.get(key);
        if (at !== undefined && change.kind === 'attemptUpdated') {
          const before = attempts[at]!;
          attempts[at] = {
            ...before,
            fields: { ...before.fields, ...change.fields },
            position: change.position,
          };
        } else {
          latestAttempt.set(key, attempts.length);
          attempts.push(change);
        }
        break;
      }
      default:
        others.push(change);
    }
  }
  return {
    runsStarted: [...runsStarted.values()],
    runUpdates: [...runUpdates.values()],
    attempts,
    others,
  };
}

function mergeRunUpdates(before: Change<'runUpdated'>, after: Change<'runUpdated'>): Change<'runUpdated'> {
  const patch = { ...before.patch, ...after.patch };
  if (before.patch.startedAt !== undefined) patch.startedAt = before.patch.startedAt;
  return { ...after, patch };
}
