import { type WorkflowDefinition } from '@spark/contracts';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ValidationError } from '../errors';
import { pointerToPath } from './schema-check';

/** One compiled validator per input schema object: definitions are immutable and cached by their readers. */
const validators = new WeakMap<object, ValidateFunction>();

function validatorOf(schema: Record<string, unknown>): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/**
 * Checks a run's input against its workflow's input schema; throws ValidationError with `$.input…`
 * paths. The run decider's start applies it, and the gateway calls it before it accepts a start.
 */
export function checkRunInput(definition: Pick<WorkflowDefinition, 'inputSchema'>, input: unknown): void {
  if (!definition.inputSchema) return;
  const validate = validatorOf(definition.inputSchema);
  if (validate(input)) return;
  const problems = (validate.errors ?? []).map((error) => ({
    path: pointerToPath(error.instancePath).replace(/^\$/, '$.input'),
    message: error.message ?? error.keyword,
  }));
  throw new ValidationError(problems, 'Run input does not match the workflow input schema');
}
