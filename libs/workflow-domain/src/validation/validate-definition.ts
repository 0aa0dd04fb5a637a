import { type WorkflowDefinition } from '@spark/contracts';

import { ValidationError, type ValidationProblem } from '../errors';
import { credentialProblems } from './credential-checks';
import { unenforcedFlowControlProblems } from './flow-control-checks';
import { schemaProblems } from './schema-check';
import { semanticProblems } from './semantic-checks';

export type DefinitionValidation =
  { valid: true; definition: WorkflowDefinition } | { valid: false; problems: ValidationProblem[] };

/** Checks a parsed definition against the schema and every semantic rule, collecting all problems. */
export const validateWorkflowDefinition = (value: unknown): DefinitionValidation => {
  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  for (const problem of [
    ...schemaProblems(value),
    ...semanticProblems(value),
    ...credentialProblems(value),
    ...unenforcedFlowControlProblems(value),
  ]) {
    const key = `${problem.path}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems.length === 0
    ? { valid: true, definition: value as WorkflowDefinition }
    : { valid: false, problems };
};

export const assertValidDefinition = (value: unknown): WorkflowDefinition => {
  const result = validateWorkflowDefinition(value);
  if (!result.valid) throw new ValidationError(result.problems, 'Invalid workflow definition');
  return result.definition;
};
