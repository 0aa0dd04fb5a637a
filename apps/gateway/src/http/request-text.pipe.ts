import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { type FieldError } from '@spark/contracts';
import { ProblemException } from '../problems/problem';

const MAX_DEPTH = 64;

/** Where a value came from, as the problem's field path names it (`path:name`, `query:label`, `$.input.x`). */
const rootOf = (metadata: ArgumentMetadata): string | undefined => {
  switch (metadata.type) {
    case 'body':
      return metadata.data ? `$.${metadata.data}` : '$';
    case 'query':
      return metadata.data ? `query:${metadata.data}` : 'query:';
    case 'param':
      return metadata.data ? `path:${metadata.data}` : 'path:';
    default:
      return undefined;
  }
};

const child = (parent: string, key: string | number): string => {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (parent.endsWith(':')) return `${parent}${key}`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
};

function findNul(value: unknown, path: string, found: FieldError[], depth = 0): void {
  if (found.length >= 20 || depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    if (value.includes('\u0000'))
      found.push({ path, message: 'must not contain the NUL character (U+0000)' });
    return;
  }
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => findNul(item, child(path, index), found, depth + 1));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000'))
      found.push({ path: child(path, key), message: 'a key must not contain the NUL character (U+0000)' });
    else findNul(item, child(path, key), found, depth + 1);
  }
}

/**
 * Refuses text that nothing downstream can hold: PostgreSQL's text and jsonb (read models, the event
 * store) reject U+0000, so a path parameter, query parameter or JSON body carrying one is a 400 naming
 * where it is, before it reaches a query. Runs ahead of the validation pipe, on every route.
 */
@Injectable()
export class RequestTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const root = rootOf(metadata);
    if (root === undefined) return value;
    const found: FieldError[] = [];
    findNul(value, root, found);
    if (found.length > 0)
      throw ProblemException.badRequest(
        `The request contains text that cannot be stored: ${found.map((f) => `${f.path} ${f.message}`).join('; ')}`,
        found,
      );
    return value;
  }
}
