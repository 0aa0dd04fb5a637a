import { registerDecorator, type ValidationOptions } from 'class-validator';
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
