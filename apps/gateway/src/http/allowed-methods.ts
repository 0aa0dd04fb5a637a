import { type OpenAPIObject } from '@nestjs/swagger';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Routes served outside the document (the document itself and its UI). */
const UNDOCUMENTED: [RegExp, string[]][] = [
  [/^\/openapi\.json$/, ['GET']],
  [/^\/docs(\/.*)?$/, ['GET']],
];

/**
 * The methods each path of the OpenAPI document answers, so an unsupported method on a known path is
 * a 405 with an `Allow` header rather than a 404.
 */
export class AllowedMethods {
  /** Pattern, methods, and how many parameters the template has (the fewest wins, as in routing). */
  private readonly routes: [RegExp, string[], number][];

  constructor(document: OpenAPIObject) {
    this.routes = [
      ...Object.entries(document.paths).map(([template, item]): [RegExp, string[], number] => {
        const pattern = template
          .split(/(\{[^}]+\})/)
          .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
          .join('');
        const methods = METHODS.filter((method) => method in (item as object)).map((method) =>
          method.toUpperCase(),
        );
        if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
        return [new RegExp(`^${pattern}/?$`), methods, template.split('{').length - 1];
      }),
      ...UNDOCUMENTED.map(([pattern, methods]): [RegExp, string[], number] => [pattern, methods, 0]),
    ];
  }

  /**
   * The methods the document gives the path; empty when no route has it. The most literal template
   * names the resource (`/schedules/preview`, not `/schedules/{scheduleId}`).
   */
  of(path: string): string[] {
    const matching = this.routes.filter(([pattern]) => pattern.test(path));
    if (matching.length === 0) return [];
    const fewest = Math.min(...matching.map(([, , parameters]) => parameters));
    return [
      ...new Set(
        matching.filter(([, , parameters]) => parameters === fewest).flatMap(([, methods]) => methods),
      ),
    ];
  }
}
