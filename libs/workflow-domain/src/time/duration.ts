const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_PATTERN = /^(\d{1,9}(ms|s|m|h|d))+$/;
const PART_PATTERN = /(\d+)(ms|s|m|h|d)/g;

export const isDuration = (text: string): boolean => DURATION_PATTERN.test(text);

/** Milliseconds of a duration like "500ms", "30s", "5m", "2h", "1d" or "1h30m". Throws on anything else. */
export const parseDuration = (text: string): number => {
  if (!isDuration(text))
    throw new Error(`"${text}" is not a duration (use e.g. "500ms", "30s", "5m", "2h", "1d", "1h30m")`);
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART_PATTERN))
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return total;
};

export const formatDuration = (ms: number): string => {
  if (ms === 0) return '0ms';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
    ['ms', 1],
  ] as const) {
    const amount = Math.floor(rest / size);
    if (amount > 0) parts.push(`${amount}${unit}`);
    rest -= amount * size;
  }
  return parts.join('');
};
