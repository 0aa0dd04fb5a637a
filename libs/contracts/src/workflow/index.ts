import workflowDefinitionSchemaJson from './workflow-definition.schema.json';

export * from './workflow-definition';
export * from './handlers';
export * from './secret-reference';

/** The published JSON Schema (draft-07) of a workflow definition. */
export const workflowDefinitionSchema: Readonly<Record<string, unknown>> = workflowDefinitionSchemaJson;
