/**
 * Which HTTP statuses count as success and which failures are not worth retrying.
 * A rule is a status (`201`), a class (`"2xx"`), a range (`"200-299"`) or a list of these.
 */
export type StatusRule = number | string | (number | string)[];

export type StatusMatcher = (status: number) => boolean;

export const DEFAULT_SUCCESS_STATUS: StatusRule = '2xx';
/** A client error will fail the same way again, except timeouts and rate limits. */
export const DEFAULT_NON_RETRYABLE_STATUS: StatusRule = ['400-407', '409-428', '430-499'];

export class StatusRuleError extends Error {}

export function parseStatusRule(rule: unknown): StatusMatcher {
  const parts = Array.isArray(rule) ? rule : [rule];
  if (parts.length === 0) return () => false;
  const matchers = parts.map(parsePart);
  return (status) => matchers.some((matches) => matches(status));
}

function parsePart(part: unknown): StatusMatcher {
  if (typeof part === 'number' && Number.isInteger(part)) return (status) => status === part;
  if (typeof part === 'string') {
    const text = part.trim().toLowerCase();
    const statusClass = /^([1-5])xx$/.exec(text);
    if (statusClass) {
      const hundreds = Number(statusClass[1]);
      return (status) => Math.floor(status / 100) === hundreds;
    }
    const range = /^(\d{3})\s*-\s*(\d{3})$/.exec(text);
    if (range) {
      const [low, high] = [Number(range[1]), Number(range[2])];
      if (low <= high) return (status) => status >= low && status <= high;
    }
    if (/^\d{3}$/.test(text)) return (status) => status === Number(text);
  }
  throw new StatusRuleError(
    `${JSON.stringify(part)} is not a status, a class like "2xx" or a range like "200-299"`,
  );
}
