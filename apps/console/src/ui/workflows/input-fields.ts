export interface PropertySchema {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  default?: unknown;
}

export interface InputSchema {
  type?: string;
  required?: string[];
  properties?: Record<string, PropertySchema>;
}

export interface FormField {
  name: string;
  kind: 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';
  required: boolean;
  description?: string;
  options?: string[];
}

/** One field per top-level property of an object input schema; anything nested is edited as JSON. */
export function fieldsOf(schema: InputSchema | undefined): FormField[] {
  if (!schema || schema.type !== 'object' || !schema.properties) return [];
  return Object.entries(schema.properties).map(([name, property]) => {
    const type = Array.isArray(property.type) ? property.type[0] : property.type;
    const kind: FormField['kind'] = property.enum
      ? 'enum'
      : type === 'string' || type === 'number' || type === 'integer' || type === 'boolean'
        ? type
        : 'json';
    return {
      name,
      kind,
      required: schema.required?.includes(name) ?? false,
      ...(property.description ? { description: property.description } : {}),
      ...(property.enum ? { options: property.enum.map((value) => String(value)) } : {}),
    };
  });
}

/** The run input from the form's values; a field left empty is left out. */
export function inputFrom(
  fields: FormField[],
  values: Record<string, string | boolean>,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.kind === 'boolean') {
      input[field.name] = value === true;
      continue;
    }
    if (typeof value !== 'string' || value.trim() === '') continue;
    if (field.kind === 'number' || field.kind === 'integer') input[field.name] = Number(value);
    else if (field.kind === 'json') input[field.name] = JSON.parse(value) as unknown;
    else input[field.name] = value;
  }
  return input;
}
