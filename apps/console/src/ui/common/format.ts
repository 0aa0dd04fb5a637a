/** "1.2 s", "340 ms", "3 min 5 s"; undefined without both ends. */
export function duration(from?: string, to?: string, now = Date.now()): string | undefined {
  if (!from) return undefined;
  const ms = (to ? Date.parse(to) : now) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

// One formatter for every cell: toLocaleString would build a new one per call (slow in a scrolled list).
const DATE_TIME = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'short',
  timeStyle: 'medium',
  hour12: false,
});

/** A local date and time, or "—". */
export function when(iso?: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE_TIME.format(date);
}

export const json = (value: unknown): string => JSON.stringify(value, null, 2) ?? 'undefined';

/** "team=shop, env=prod" */
export const labelText = (labels?: Record<string, string>): string =>
  Object.entries(labels ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
