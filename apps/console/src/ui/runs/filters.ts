export const RUN_STATUSES = [
  'RUNNING',
  'COMPENSATING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
] as const;
type Status = (typeof RUN_STATUSES)[number];

export interface RunFilters {
  status?: Status;
  workflow?: string;
  label?: string;
  createdFrom?: string;
  createdTo?: string;
  idempotencyKey?: string;
}

/** The filters as they stand in the address (so a filtered list can be linked and reloaded). */
export function filtersFrom(query: URLSearchParams): RunFilters {
  const filters: RunFilters = {};
  const status = query.get('status');
  if (status && (RUN_STATUSES as readonly string[]).includes(status)) filters.status = status as Status;
  for (const name of ['workflow', 'label', 'createdFrom', 'createdTo', 'idempotencyKey'] as const) {
    const value = query.get(name)?.trim();
    if (value) filters[name] = value;
  }
  return filters;
}
