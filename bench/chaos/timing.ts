export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A whole number in [min, max], uniformly. */
export const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

export function percentile(samples: readonly number[], quantile: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] ?? Number.NaN;
}

const began = Date.now();

/** A progress line on stderr, with the seconds since this process loaded the bench. */
export function log(message: string): void {
  process.stderr.write(`[chaos +${((Date.now() - began) / 1000).toFixed(1)}s] ${message}\n`);
}
