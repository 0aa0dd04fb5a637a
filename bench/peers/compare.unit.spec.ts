import { goals, median, medians, ratios } from './compare';

const round = (p50: number, perSecond: number) => ({
  'round_trip.p50_ms': p50,
  'round_trip.p99_ms': p50 * 2,
  'chain3.p50_ms': p50 * 3,
  'chain3.p99_ms': p50 * 4,
  'sustained.per_s': perSecond,
});

describe('peers comparison', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('gives medians per system and Spark ÷ peer for every figure', () => {
    const m = medians({
      spark: [round(30, 100), round(10, 300), round(20, 200)],
      celery: [round(4, 250), round(5, 300), round(6, 350)],
      bullmq: [round(1, 4000), round(1, 4000), round(1, 4000)],
    });
    expect(m['spark.round_trip.p50_ms']).toBe(20);
    expect(m['celery.sustained.per_s']).toBe(300);
    const r = ratios(m);
    expect(r['ratio.spark_over_celery.round_trip.p50_ms']).toBe(4);
    expect(r['ratio.spark_over_celery.sustained.per_s']).toBeCloseTo(200 / 300);
    expect(r['ratio.spark_over_bullmq.sustained.per_s']).toBe(0.05);
    expect(goals(m).map((check) => check.met)).toEqual([false, false, false, false]);
  });

  it('meets the goals when Spark is that fast', () => {
    const m = medians({
      spark: [round(5, 1200)],
      celery: [round(4, 300)],
      bullmq: [round(1, 4000)],
    });
    expect(goals(m).map((check) => check.met)).toEqual([true, true, true, true]);
  });
});
