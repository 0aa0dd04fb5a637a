/**
 * Kafka topics Spark owns. Keys keep per-run (or per-schedule) order; see docs/adr.
 * The broker-side list lives in tools/stack.d/topics; a unit test keeps it in step with these.
 */
export const Topics = {
  /** Commands for the scheduler, keyed by run or schedule id. */
  commands: 'spark.commands',
  /** Results of task attempts from executors and external workers, keyed by run id. */
  taskResults: 'spark.task-results',
  /** Runs whose running tasks every executor should abort, keyed by run id. */
  taskCancellations: 'spark.task-cancellations',
  /** Public CloudEvents for other teams, keyed by run id. */
  publicEvents: 'spark.events.v1',
  /** Poison messages that failed every retry, with their origin in headers. */
  deadLetters: 'spark.dlq',
  /** Liveness pings answered by every service (the quick-start check). */
  health: 'spark.health',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

/** Partitions of each topic, when Spark (or tools/stack) creates it. Keys spread runs over them. */
export const TOPIC_PARTITIONS: Readonly<Record<TopicName, number>> = {
  [Topics.commands]: 6,
  [Topics.taskResults]: 6,
  [Topics.taskCancellations]: 6,
  [Topics.publicEvents]: 6,
  [Topics.deadLetters]: 1,
  [Topics.health]: 1,
};

/** Partitions of every `spark.tasks.<queue>` topic. */
export const TASK_TOPIC_PARTITIONS = 6;

/** Task dispatches for one queue: `spark.tasks.<queue>`, keyed by run id. */
export function taskTopic(queue: string): string {
  return `spark.tasks.${queue}`;
}

export const DEFAULT_TASK_QUEUE = 'default';

/**
 * Priority lanes of a task queue (docs/adr/0121): priorities 7–9 go to the `high` lane, 0–3 to `low`,
 * 4–6 (the default 5 among them) stay on the queue's own topic. Executors consume each lane on its own,
 * so a backlog in one lane never holds back the tasks of another.
 */
export const TASK_LANES = ['high', 'normal', 'low'] as const;
export type TaskLane = (typeof TASK_LANES)[number];

export function taskLaneOf(priority: number): TaskLane {
  if (priority >= 7) return 'high';
  if (priority <= 3) return 'low';
  return 'normal';
}

/**
 * `spark.tasks.<queue>` for the normal lane, `spark.tasks-high.<queue>` and `spark.tasks-low.<queue>`
 * for the others: a prefix of their own, since a queue's name may itself end in `.high`.
 */
export function taskLaneTopic(queue: string, lane: TaskLane): string {
  return lane === 'normal' ? taskTopic(queue) : `spark.tasks-${lane}.${queue}`;
}
