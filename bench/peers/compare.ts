/** Medians over rounds and Spark ÷ peer ratios, for bench/peers. Pure. */

export const SYSTEMS = ['spark', 'celery', 'bullmq'] as const;
export type System = (typeof SYSTEMS)[number];

/** One round's figures of one system, by figure name (e.g. `round_trip.p50_ms`). */
export type RoundFigures = Record<string, number>;

export const FIGURES = [
  { key: 'round_trip.p50_ms', label: 'one-task round trip p50 (ms)', lowerIsBetter: true },
  { key: 'round_trip.p99_ms', label: 'one-task round trip p99 (ms)', lowerIsBetter: true },
  { key: 'chain3.p50_ms', label: 'three-step chain p50 (ms)', lowerIsBetter: true },
  { key: 'chain3.p99_ms', label: 'three-step chain p99 (ms)', lowerIsBetter: true },
  { key: 'sustained.per_s', label: 'sustained (tasks/s)', lowerIsBetter: false },
] as const;

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** `<system>.<figure>` → the median over the rounds of that system. */
export function medians(rounds: Record<System, RoundFigures[]>): Record<string, number> {
  const result: Record<string, number> = {};
  for (const system of SYSTEMS) {
    for (const { key } of FIGURES) {
      result[`${system}.${key}`] = median(rounds[system].map((round) => round[key]!).filter(Number.isFinite));
    }
  }
  return result;
}

/**
 * `ratio.spark_over_<peer>.<figure>` = Spark's median ÷ the peer's, for every figure: below 1 is
 * Spark faster for a latency, above 1 is Spark faster for a throughput.
 */
export function ratios(medianFigures: Record<string, number>): Record<string, number> {
  const result: Record<string, number> = {};
  for (const peer of ['celery', 'bullmq'] as const) {
    for (const { key } of FIGURES) {
      const spark = medianFigures[`spark.${key}`]!;
      const other = medianFigures[`${peer}.${key}`]!;
      result[`ratio.spark_over_${peer}.${key}`] = other > 0 ? spark / other : Number.NaN;
    }
  }
  return result;
}

/** The goals of issue 12 for this comparison, checked against the medians. */
export function goals(medianFigures: Record<string, number>) {
  const r = ratios(medianFigures);
  return [
    {
      goal: "Spark's sustained runs/s ≥ 3× Celery's tasks/s",
      value: r['ratio.spark_over_celery.sustained.per_s']!,
      met: r['ratio.spark_over_celery.sustained.per_s']! >= 3,
    },
    {
      goal: "Spark's sustained runs/s ≥ 0.25× BullMQ's jobs/s",
      value: r['ratio.spark_over_bullmq.sustained.per_s']!,
      met: r['ratio.spark_over_bullmq.sustained.per_s']! >= 0.25,
    },
    {
      goal: "one-step p50 ≤ 1.5× Celery's one-task round trip",
      value: r['ratio.spark_over_celery.round_trip.p50_ms']!,
      met: r['ratio.spark_over_celery.round_trip.p50_ms']! <= 1.5,
    },
    {
      goal: "three-step p50 ≤ 1.5× Celery's chain",
      value: r['ratio.spark_over_celery.chain3.p50_ms']!,
      met: r['ratio.spark_over_celery.chain3.p50_ms']! <= 1.5,
    },
  ];
}
