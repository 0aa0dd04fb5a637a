import { createHash } from 'node:crypto';
import pg, { type ClientBase, type QueryResult } from 'pg';

/** One SQL statement with its parameters ($1, $2, …), as `client.query(text, values)` takes them. */
export interface Statement {
  text: string;
  values?: readonly unknown[];
}

/** pg's own conversion of a parameter to the text it sends (arrays, dates, JSON objects); untyped in @types/pg. */
const prepareValue = (pg as unknown as { utils: { prepareValue(value: unknown): unknown } }).utils
  .prepareValue;

/**
 * A parameter as an SQL literal of the same text pg would send for it: the server resolves an
 * untyped literal exactly as an untyped parameter (by the cast or column it meets).
 */
export function sqlLiteral(value: unknown): string {
  const prepared = prepareValue(value);
  if (prepared === null || prepared === undefined) return 'NULL';
  if (typeof prepared !== 'string')
    throw new TypeError(
      `a ${typeof prepared} parameter cannot be written as a literal (binary values are not supported)`,
    );
  return pg.escapeLiteral(prepared);
}

/** The statement with each `$n` replaced by its parameter as a literal (one pass, so values are never rescanned). */
export function inlineValues({ text, values = [] }: Statement): string {
  return text.replace(/\$(\d+)/g, (_, index: string) => {
    const position = Number(index);
    if (position < 1 || position > values.length)
      throw new RangeError(`$${position} has no parameter (the statement has ${values.length})`);
    return sqlLiteral(values[position - 1]);
  });
}

/**
 * Runs `statements` in order in ONE round trip and returns one result per statement. Several
 * statements go as one simple-query message with their parameters inlined (node-postgres does not
 * pipeline): outside an explicit transaction they are one implicit transaction; inside one, an error
 * stops the rest and leaves the transaction aborted, as it would one by one. Statements must not
 * contain `$n` other than as parameters (no dollar-quoted bodies).
 */
export async function runStatements(
  client: ClientBase,
  statements: readonly Statement[],
): Promise<QueryResult[]> {
  if (statements.length === 0) return [];
  if (statements.length === 1) {
    const [only] = statements as [Statement];
    return [await client.query(only.text, only.values ? [...only.values] : undefined)];
  }
  const result = (await client.query(statements.map(inlineValues).join(';\n'))) as
    QueryResult | QueryResult[];
  const results = Array.isArray(result) ? result : [result];
  if (results.length !== statements.length)
    throw new Error(`${statements.length} statements gave ${results.length} results`);
  return results;
}

/**
 * A statement that each connection parses and plans once (a named prepared statement): the name
 * is a hash of the text, so every text has its own. For the hot, fixed-text queries; a connection
 * pooler in front must support protocol-level prepared statements (PgBouncer 1.21 and later do).
 */
export function preparedStatement(text: string): { name: string; text: string } {
  return { name: `spark_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text };
}
