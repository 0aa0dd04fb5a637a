/**
 * An HTTP `Retry-After` header (RFC 9110 §10.2.3) as ms from `now`: delay-seconds or an HTTP date.
 * Undefined when absent or unreadable: then the step's retry policy alone decides.
 */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1_000;
  // An HTTP date names its day and month; without letters it is a malformed number, not a date.
  const at = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
