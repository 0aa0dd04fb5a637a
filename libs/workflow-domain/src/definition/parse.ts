import { type WorkflowDefinition } from '@spark/contracts';
import { parseDocument } from 'yaml';

import { ValidationError } from '../errors';
import { assertValidDefinition } from '../validation';

export type DefinitionFormat = 'json' | 'yaml';

/** Parses JSON or YAML text (detected when not given) into plain data, without validating it. */
export const parseDefinitionText = (text: string, format?: DefinitionFormat): unknown => {
  const detected = format ?? (/^\s*[{[]/.test(text) ? 'json' : 'yaml');
  if (detected === 'json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new ValidationError(
        [{ path: '$', message: `not valid JSON: ${(error as Error).message}` }],
        'Invalid workflow definition',
      );
    }
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ValidationError(
      document.errors.map((error) => ({ path: '$', message: `not valid YAML: ${error.message}` })),
      'Invalid workflow definition',
    );
  }
  return document.toJS() as unknown;
};

/** Parses and validates a definition; throws a ValidationError listing every problem. */
export const parseWorkflowDefinition = (text: string, format?: DefinitionFormat): WorkflowDefinition =>
  assertValidDefinition(parseDefinitionText(text, format));
