import { registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';
import { ProblemException } from '../problems/problem';

/** An object whose values are all strings of at most 256 characters (labels), with at most 64 keys. */
export function IsStringMap(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isStringMap',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be an object of at most 64 string values`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= 64 &&
          Object.entries(value).every(
            ([key, entry]) =>
              key.length > 0 && key.length <= 128 && typeof entry === 'string' && entry.length <= 256,
          ),
      },
    });
}

/** Present (any JSON value, null included): for free-form fields such as run input. */
export function IsJsonValue(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isJsonValue',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a JSON value`, ...options },
      validator: { validate: (value: unknown) => value !== undefined },
    });
}

/** A partial update must change something: a body with none of the fields is a 400 naming them. */
export function requireSomeField(body: object | undefined, fields: readonly string[]): void {
  const given = body
    ? Object.keys(body).filter((key) => (body as Record<string, unknown>)[key] !== undefined)
    : [];
  if (given.some((key) => fields.includes(key))) return;
  const names = fields.map((field) => `"${field}"`).join(', ');
  throw ProblemException.badRequest(`The request body changes nothing: give at least one of ${names}`, [
    { path: '$', message: `must have at least one of ${names}` },
  ]);
}

/**
 * Optional, but not null: a field left out is skipped, `null` is checked like any other value (and so
 * refused unless a validator allows it). class-validator's IsOptional lets `null` through unchecked,
 * which reached the database as NULL (a 500) and accepted bodies the document says are invalid.
 */
export const IsOmittable = (options?: ValidationOptions) =>
  ValidateIf((_object, value) => value !== undefined, options);

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Whether the text is an RFC 3339 date-time, the OpenAPI `date-time` format (any year, a zone required). */
export function isDateTime(value: unknown): boolean {
  const match = typeof value === 'string' ? DATE_TIME.exec(value) : null;
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [offsetHour, offsetMinute] = [Number(match[9] ?? 0), Number(match[10] ?? 0)];
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 60 &&
    offsetHour <= 23 &&
    offsetMinute <= 59 &&
    !Number.isNaN(Date.parse(value as string))
  );
}

/** An RFC 3339 date-time (what the document's `format: date-time` promises). */
export function IsDateTime(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDateTime',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be an RFC 3339 date-time with a zone, e.g. 2026-03-29T02:30:00Z`,
        ...options,
      },
      validator: { validate: isDateTime },
    });
}
