import { unwrap } from '@spark/client';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useAllowed, useSession } from '../api';
import { ActionButton, ConfirmDialog } from '../common';
import { type RunFilters } from './filters';

type Bulk = { action: 'cancel' | 'retry'; target: 'selected' | 'matching' } | null;

/** Cancel or retry the selected runs, or every run the filter matches (POST /runs/bulk-cancel|bulk-retry). */
export function BulkActions({
  selected,
  filters,
  clear,
}: {
  selected: ReadonlySet<string>;
  filters: RunFilters;
  clear: () => void;
}) {
  const { api } = useSession();
  const client = useQueryClient();
  const write = useAllowed('write');
  const [bulk, setBulk] = useState<Bulk>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const filtered = Object.keys(filters).length > 0;
  const run = async (reason: string) => {
    if (!bulk) return;
    const target = bulk.target === 'selected' ? { runIds: [...selected] } : { filter: filters };
    const result =
      bulk.action === 'cancel'
        ? await unwrap(
            api.POST('/api/v1/runs/bulk-cancel', { body: { ...target, ...(reason ? { reason } : {}) } }),
          )
        : await unwrap(api.POST('/api/v1/runs/bulk-retry', { body: target }));
    setOutcome(
      `${bulk.action === 'cancel' ? 'Cancelling' : 'Retrying'} ${result.accepted.length} of ${result.matched} run${result.matched === 1 ? '' : 's'}` +
        (result.skipped.length
          ? `; ${result.skipped.length} skipped (${[...new Set(result.skipped.map((s) => s.reason))].join(', ')})`
          : '') +
        (result.truncated ? '; more runs match: repeat for the rest' : ''),
    );
    clear();
    await client.invalidateQueries({ queryKey: ['runs'] });
  };
  return (
    <div className="row bulk" role="toolbar" aria-label="Bulk actions">
      <ActionButton
        {...write}
        disabled={selected.size === 0}
        onClick={() => setBulk({ action: 'cancel', target: 'selected' })}
      >
        Cancel selected ({selected.size})
      </ActionButton>
      <ActionButton
        {...write}
        disabled={selected.size === 0}
        onClick={() => setBulk({ action: 'retry', target: 'selected' })}
      >
        Retry selected ({selected.size})
      </ActionButton>
      <ActionButton
        {...write}
        disabled={!filtered}
        title={filtered ? undefined : 'Filter the list first'}
        onClick={() => setBulk({ action: 'cancel', target: 'matching' })}
      >
        Cancel all matching
      </ActionButton>
      <ActionButton
        {...write}
        disabled={!filtered}
        title={filtered ? undefined : 'Filter the list first'}
        onClick={() => setBulk({ action: 'retry', target: 'matching' })}
      >
        Retry all matching
      </ActionButton>
      {outcome ? (
        <span className="muted" role="status">
          {outcome}
        </span>
      ) : null}
      {bulk ? (
        <ConfirmDialog
          title={`${bulk.action === 'cancel' ? 'Cancel' : 'Retry'} ${bulk.target === 'selected' ? `${selected.size} selected runs` : 'every run the filter matches (up to 1,000)'}?`}
          body={
            <p>
              {bulk.action === 'cancel'
                ? 'Finished runs are skipped; the others are cancelled.'
                : 'Only failed runs are retried from where they failed; the others are skipped.'}
            </p>
          }
          reason={bulk.action === 'cancel'}
          confirmLabel={bulk.action === 'cancel' ? 'Cancel runs' : 'Retry runs'}
          onClose={() => setBulk(null)}
          onConfirm={run}
        />
      ) : null}
    </div>
  );
}
