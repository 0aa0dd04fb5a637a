/** Instants travel as ISO-8601 strings in UTC (`2026-03-29T01:00:00.000Z`); arithmetic is done in epoch ms. */
export type Instant = string;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const isInstant = (text: string): boolean => ISO_INSTANT.test(text) && !Number.isNaN(Date.parse(text));

export const toMillis = (instant: Instant): number => {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new Error(`"${instant}" is not an ISO-8601 instant`);
  return ms;
};

export const toInstant = (ms: number): Instant => new Date(ms).toISOString();

export const addMillis = (instant: Instant, ms: number): Instant => toInstant(toMillis(instant) + ms);
