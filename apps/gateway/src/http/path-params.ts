import { Param, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { ProblemException } from '../problems/problem';

/** A path parameter's rule: the pattern it must match and how to name it in a problem. */
export interface PathParamRule {
  pattern: RegExp;
  /** What the value is, for the problem's detail: "a workflow name". */
  what: string;
  /** The `format` the OpenAPI document declares, when a pattern alone does not say it (`uuid`). */
  format?: string;
  description: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const PATH_PARAMS = {
  workflowName: {
    pattern: /^[a-z0-9][a-z0-9._-]{0,127}$/,
    what: 'a workflow name',
    description: 'Workflow name',
  },
  sourceName: {
    pattern: /^[a-z0-9][a-z0-9_-]{0,62}$/,
    what: 'a source name',
    description: 'Source name',
  },
  runId: { pattern: /^[\w.:-]{1,200}$/, what: 'a run id', description: 'Run id' },
  scheduleId: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/,
    what: 'a schedule id',
    description: 'Schedule id',
  },
  uuid: { pattern: UUID, what: 'a UUID', format: 'uuid', description: 'Id (a UUID)' },
} satisfies Record<string, PathParamRule>;

class PathParamPipe implements PipeTransform<string, string> {
  constructor(
    private readonly name: string,
    private readonly rule: PathParamRule,
  ) {}

  transform(value: string): string {
    if (typeof value === 'string' && this.rule.pattern.test(value)) return value;
    throw ProblemException.badRequest(`${JSON.stringify(value)} is not ${this.rule.what}`, [
      {
        path: `path:${this.name}`,
        message: this.rule.format
          ? `must be ${this.rule.what}`
          : `must be ${this.rule.what} (${this.rule.pattern.source})`,
      },
    ]);
  }
}

/** A path parameter checked against its rule (400 naming `path:<name>` otherwise). */
export const PathParam = (name: string, rule: PathParamRule) => Param(name, new PathParamPipe(name, rule));

/** The same rule in the OpenAPI document, so the document says what the server enforces. */
export const ApiPathParam = (name: string, rule: PathParamRule) =>
  ApiParam({
    name,
    description: rule.description,
    schema: {
      type: 'string',
      ...(rule.format ? { format: rule.format } : { pattern: rule.pattern.source }),
    },
  });
