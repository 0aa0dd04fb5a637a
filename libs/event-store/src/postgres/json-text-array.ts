/**
 * A PostgreSQL `text[]` literal of JSON texts, built in one native call per element.
 *
 * node-postgres quotes each element of an array parameter in JavaScript (two regular-expression
 * replaces per element), which was 4–5 % of the scheduler's time at the sustained rate: every event's
 * data and metadata pass through it. Inside a quoted array element PostgreSQL reads `\x` as `x`,
 * so only `"` and `\` need a backslash. `JSON.stringify` of a JSON text does exactly that: JSON
 * text holds no raw control characters or lone surrogates (they are escaped as `\uXXXX`, which
 * this turns into `\\uXXXX`, read back as `\uXXXX`), so the only characters it escapes are `"`
 * and `\`.
 */
export function jsonTextArray(jsonTexts: readonly string[]): string {
  let literal = '{';
  for (let index = 0; index < jsonTexts.length; index++) {
    if (index > 0) literal += ',';
    literal += JSON.stringify(jsonTexts[index]);
  }
  return `${literal}}`;
}
