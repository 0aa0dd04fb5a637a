/** The figures of one offered rate of bench/api, from vegeta's answers and the completions seen. Pure. */
import { summarise, type LatencySummary } from '../shared/stats';
import { type VegetaResult } from './vegeta';

export interface RateSummary {
  rate: number;
  requests: number;
  accepted: number;
  acceptedPerSecond: number;
  completed: number;
  completedPerSecond: number;
  /** Completed inside the window + drain ÷ accepted (0..1). */
  completedShare: number;
  acceptedToCompleted: LatencySummary;
  /** The same from the event store's side: RunCompleted delivered by a store subscription. */
  storeCompletedShare: number;
  acceptedToStored: LatencySummary;
  /** Time to the HTTP answer, all answers. */
  answer: LatencySummary;
  /** Count by HTTP status of every answer other than 202 (status 0: no answer). */
  errors: Record<string, number>;
  /** The distinct texts of transport errors (status 0), at most five. */
  transportErrors: string[];
  /** Accepted runs whose run failed or timed out. */
  failedRuns: number;
}

export function summariseRate(input: {
  rate: number;
  seconds: number;
  drainSeconds: number;
  answered: VegetaResult[];
  completedAt: ReadonlyMap<string, number>;
  storeCompletedAt: ReadonlyMap<string, number>;
  failed: ReadonlySet<string>;
  windowEnd: number;
}): RateSummary {
  const deadline = input.windowEnd + input.drainSeconds * 1000;
  const errors: Record<string, number> = {};
  const transportErrors = new Set<string>();
  const latencies: number[] = [];
  const stored: number[] = [];
  let accepted = 0;
  let failedRuns = 0;
  let lastCompletion = -Infinity;
  for (const result of input.answered) {
    if (result.code !== 202) {
      errors[String(result.code)] = (errors[String(result.code)] ?? 0) + 1;
      if (result.code === 0 && transportErrors.size < 5) transportErrors.add(result.error);
      continue;
    }
    accepted++;
    const runId = (JSON.parse(result.body) as { runId?: string }).runId ?? '';
    if (input.failed.has(runId)) failedRuns++;
    const storedAt = input.storeCompletedAt.get(runId);
    if (storedAt !== undefined && storedAt <= deadline) stored.push(storedAt - result.answeredAt);
    const completedAt = input.completedAt.get(runId);
    if (completedAt === undefined || completedAt > deadline) continue;
    latencies.push(completedAt - result.answeredAt);
    lastCompletion = Math.max(lastCompletion, completedAt);
  }
  const firstSent = input.answered.reduce((first, result) => Math.min(first, result.sentAt), Infinity);
  const completed = latencies.length;
  return {
    rate: input.rate,
    requests: input.answered.length,
    accepted,
    acceptedPerSecond: accepted / input.seconds,
    completed,
    completedPerSecond: completed > 0 ? completed / ((lastCompletion - firstSent) / 1000) : 0,
    completedShare: accepted > 0 ? completed / accepted : 0,
    acceptedToCompleted: summarise(latencies),
    storeCompletedShare: accepted > 0 ? stored.length / accepted : 0,
    acceptedToStored: summarise(stored),
    answer: summarise(input.answered.map((result) => result.latencyMs)),
    errors,
    transportErrors: [...transportErrors],
    failedRuns,
  };
}
