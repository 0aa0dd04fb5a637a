/**
 * google.protobuf.Value / Struct / Timestamp as @grpc/proto-loader represents them (objects with
 * `fields`, `values`, `seconds` as a string with `longs: String`), to and from plain JSON.
 */

export interface ProtoValue {
  nullValue?: unknown;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: ProtoStruct;
  listValue?: { values?: ProtoValue[] };
  kind?: string;
}

export interface ProtoStruct {
  fields?: Record<string, ProtoValue>;
}

export interface ProtoTimestamp {
  seconds?: string | number;
  nanos?: number;
}

export function toValue(value: unknown): ProtoValue {
  if (value === null || value === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(toValue) } };
  if (typeof value === 'object') return { structValue: toStruct(value as Record<string, unknown>) };
  return { stringValue: String(value) };
}

export function toStruct(value: Record<string, unknown>): ProtoStruct {
  const fields: Record<string, ProtoValue> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) fields[key] = toValue(field);
  return { fields };
}

/** A Value as JSON; an absent Value is `undefined`. */
export function fromValue(value: ProtoValue | null | undefined): unknown {
  if (value === null || value === undefined) return undefined;
  const kind =
    value.kind ??
    (['nullValue', 'numberValue', 'stringValue', 'boolValue', 'structValue', 'listValue'] as const).find(
      (key) => value[key] !== undefined && value[key] !== null,
    );
  switch (kind) {
    case 'numberValue':
      return value.numberValue;
    case 'stringValue':
      return value.stringValue;
    case 'boolValue':
      return value.boolValue;
    case 'structValue':
      return fromStruct(value.structValue);
    case 'listValue':
      return (value.listValue?.values ?? []).map((item) => fromValue(item) ?? null);
    default:
      return null;
  }
}

export function fromStruct(struct: ProtoStruct | null | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(struct?.fields ?? {})) result[key] = fromValue(field) ?? null;
  return result;
}

/** An optional Value field: set only when there is a value. */
export const valueField = <K extends string>(name: K, value: unknown): Partial<Record<K, ProtoValue>> =>
  value === undefined ? {} : ({ [name]: toValue(value) } as Record<K, ProtoValue>);

export function toTimestamp(iso: string | Date): ProtoTimestamp {
  const millis = (typeof iso === 'string' ? new Date(iso) : iso).getTime();
  const seconds = Math.floor(millis / 1000);
  return { seconds: String(seconds), nanos: (millis - seconds * 1000) * 1_000_000 };
}

/** An optional Timestamp field: set only when there is a time. */
export const timestampField = <K extends string>(
  name: K,
  iso: string | undefined,
): Partial<Record<K, ProtoTimestamp>> =>
  iso === undefined ? {} : ({ [name]: toTimestamp(iso) } as Record<K, ProtoTimestamp>);

export function fromTimestamp(timestamp: ProtoTimestamp | null | undefined): string | undefined {
  if (!timestamp) return undefined;
  const millis = Number(timestamp.seconds ?? 0) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1_000_000);
  return new Date(millis).toISOString();
}
