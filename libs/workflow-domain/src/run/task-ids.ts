/** Task ids: a step id (`charge`), a map item (`lines[3]`) or a compensation (`charge#compensate`). Never contain `:`. */
export const mapItemTaskId = (stepId: string, index: number): string => `${stepId}[${index}]`;
export const compensationTaskId = (stepId: string): string => `${stepId}#compensate`;

export const taskIdempotencyKey = (runId: string, taskId: string, attempt: number): string =>
  `${runId}:${taskId}:${attempt}`;

/** Reads `runId:taskId:attempt` from the right, so run ids may contain `:`. */
export const parseTaskIdempotencyKey = (
  key: string,
): { runId: string; taskId: string; attempt: number } | undefined => {
  const match = /^(.+):([^:]+):(\d+)$/.exec(key);
  if (!match) return undefined;
  return { runId: match[1]!, taskId: match[2]!, attempt: Number(match[3]) };
};
