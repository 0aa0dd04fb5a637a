import { type EvaluationEnvironment, evaluateExpression } from './jsonata-expression';

/** In templates, a string beginning with `=` is an expression; `==` escapes a literal leading `=`. */
export const templateExpressionOf = (value: string): string | undefined =>
  value.startsWith('=') && !value.startsWith('==') ? value.slice(1) : undefined;

const unescape = (value: string): string => (value.startsWith('==') ? value.slice(1) : value);

export const evaluateTemplate = async (
  template: unknown,
  data: unknown,
  env: EvaluationEnvironment,
): Promise<unknown> => {
  if (typeof template === 'string') {
    const expression = templateExpressionOf(template);
    if (expression === undefined) return unescape(template);
    const result = await evaluateExpression(expression, data, env);
    return result === undefined ? null : result;
  }
  if (Array.isArray(template)) {
    const out: unknown[] = [];
    for (const item of template) out.push(await evaluateTemplate(item, data, env));
    return out;
  }
  if (template !== null && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) out[key] = await evaluateTemplate(value, data, env);
    return out;
  }
  return template;
};

/** Every expression inside a template, with its JSONPath (for validation). */
export const templateExpressions = (
  template: unknown,
  path: string,
): { path: string; expression: string }[] => {
  if (typeof template === 'string') {
    const expression = templateExpressionOf(template);
    return expression === undefined ? [] : [{ path, expression }];
  }
  if (Array.isArray(template))
    return template.flatMap((item, i) => templateExpressions(item, `${path}[${i}]`));
  if (template !== null && typeof template === 'object') {
    return Object.entries(template).flatMap(([key, value]) =>
      templateExpressions(value, `${path}${propertyPath(key)}`),
    );
  }
  return [];
};

export const propertyPath = (key: string): string =>
  /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
