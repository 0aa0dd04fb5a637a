import { stringify } from 'yaml';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

/** How a result looks as a table; json and yaml print the data itself. */
export type TableView<T> =
  | { kind: 'rows'; rows: T[]; columns: Column<T>[]; empty?: string }
  | { kind: 'fields'; fields: [string, unknown][] }
  | { kind: 'text'; text: string };

export function render<T>(data: unknown, format: OutputFormat, view: TableView<T>): string {
  if (format === 'json') return JSON.stringify(data, null, 2);
  if (format === 'yaml') return stringify(data).trimEnd();
  switch (view.kind) {
    case 'rows':
      return view.rows.length === 0 && view.empty ? view.empty : table(view.rows, view.columns);
    case 'fields':
      return fields(view.fields);
    case 'text':
      return view.text;
  }
}

export function table<T>(rows: T[], columns: Column<T>[]): string {
  const cells = [
    columns.map((column) => column.header),
    ...rows.map((row) => columns.map((c) => cell(c.value(row)))),
  ];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  return cells
    .map((line) =>
      line
        .map((value, i) => (i === line.length - 1 ? value : value.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function fields(pairs: [string, unknown][]): string {
  const shown = pairs.filter(([, value]) => value !== undefined && value !== null && value !== '');
  const width = Math.max(0, ...shown.map(([name]) => name.length)) + 1;
  return shown.map(([name, value]) => `${`${name}:`.padEnd(width)} ${cell(value)}`).join('\n');
}

export function cell(value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** "1.2 s" between two ISO instants, or "-". */
export function duration(from?: string | null, to?: string | null): string {
  if (!from || !to) return '-';
  const ms = Date.parse(to) - Date.parse(from);
  if (!Number.isFinite(ms)) return '-';
  return ms < 1000
    ? `${ms} ms`
    : ms < 120_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.round(ms / 60_000)} min`;
}
