import { HANDLER_NAMES_DESCRIPTION, workflowDefinitionSchema } from '@spark/contracts';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

import { type ValidationProblem } from '../errors';

let definitionValidator: ValidateFunction | undefined;

const validator = (): ValidateFunction => {
  if (!definitionValidator) {
    const ajv = new Ajv({ allErrors: true, discriminator: true, strict: false });
    definitionValidator = ajv.compile(workflowDefinitionSchema);
  }
  return definitionValidator;
};

/** A JSON Pointer (`/steps/2/needs/0`) as the JSONPath users read (`$.steps[2].needs[0]`). */
export const pointerToPath = (pointer: string): string =>
  '$' +
  pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) =>
      /^\d+$/.test(segment)
        ? `[${segment}]`
        : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)
          ? `.${segment}`
          : `[${JSON.stringify(segment)}]`,
    )
    .join('');

const describe = (error: ErrorObject): ValidationProblem => {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: `${path}.${String(params.additionalProperty)}`, message: 'unknown property' };
    case 'required':
      return { path: `${path}.${String(params.missingProperty)}`, message: 'is required' };
    case 'discriminator':
      return {
        path: `${path}.type`,
        message:
          params.error === 'mapping'
            ? `unknown step type ${JSON.stringify(params.tagValue)} (expected task, map, switch, wait, signal or subworkflow)`
            : 'step type must be a string',
      };
    case 'pattern':
      if (error.schemaPath.includes('/handler/'))
        return {
          path,
          message: `unknown handler (expected ${HANDLER_NAMES_DESCRIPTION})`,
        };
      if (error.schemaPath.includes('/duration/'))
        return { path, message: 'not a duration (use e.g. "500ms", "30s", "5m", "2h", "1d", "1h30m")' };
      return { path, message: `must match ${String(params.pattern)}` };
    case 'enum':
      return {
        path,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    default:
      return { path, message: error.message ?? error.keyword };
  }
};

/** Structural problems: shapes, types, ranges, formats — everything the published JSON Schema says. */
export const schemaProblems = (value: unknown): ValidationProblem[] => {
  const validate = validator();
  if (validate(value)) return [];
  return (validate.errors ?? []).map(describe);
};
