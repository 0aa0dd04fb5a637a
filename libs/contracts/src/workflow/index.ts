import workflowDefinitionSchemaJson from './workflow-definition.schema.json';

export * from './workflow-definition';

/** The published JSON Schema (draft-07) of a workflow definition. */
export const workflowDefinitionSchema: Readonly<Record<string, unknown>> = workflowDefinitionSchemaJson;
