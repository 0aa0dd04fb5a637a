import { type HandlerName } from './handlers';

/**
 * The workflow definition language: the shape of a workflow as users write it (JSON or YAML).
 * The JSON Schema beside this file is the published contract; these types mirror it.
 *
 * Conventions:
 * - Durations are strings of one or more `<integer><unit>` parts, units ms, s, m, h, d: "500ms", "30s", "1h30m".
 * - Expression fields (`if`, `items`, `when`, `output`, `concurrency.key`) are JSONata over
 *   `{ input, steps: { <id>: { output, status } }, run: { id, startedAt, attempt } }` (map tasks add `item`, `index`).
 * - Template fields (`input`, `config`, `until`) are JSON values in which every string beginning with `=` is a
 *   JSONata expression replaced by its result; any other value is taken literally.
 */

export type Duration = string;
export type Expression = string;
export type Template = unknown;

export const STEP_TYPES = ['task', 'map', 'switch', 'wait', 'signal', 'subworkflow'] as const;
export type StepType = (typeof STEP_TYPES)[number];

export const BACKOFF_KINDS = ['fixed', 'linear', 'exponential'] as const;
export type BackoffKind = (typeof BACKOFF_KINDS)[number];

/**
 * How a step treats the outcome of the steps it needs:
 * - `allSucceeded` (default): runs only when every needed step succeeded; skipped when any was skipped.
 * - `noneFailed`: runs once every needed step has finished, succeeded or skipped (the join after a switch).
 */
export const JOIN_POLICIES = ['allSucceeded', 'noneFailed'] as const;
export type JoinPolicy = (typeof JOIN_POLICIES)[number];

export interface RetryPolicy {
  /** Total attempts including the first one (1 = no retry). */
  maxAttempts: number;
  backoff?: BackoffKind;
  initialInterval?: Duration;
  maxInterval?: Duration;
  /** Multiplier of the exponential backoff (default 2). */
  coefficient?: number;
  /** Fraction of the delay (0..1) randomly added or removed, from the run's seed. */
  jitter?: number;
  /** Error codes that fail the step at once. */
  nonRetryableErrors?: string[];
}

export interface StepTimeouts {
  /** From dispatch to the executor reporting the attempt started (tasks only). */
  scheduleToStart?: Duration;
  /** From start to result, per attempt (tasks, default 5m) or for the whole child run (subworkflow). */
  startToClose?: Duration;
  /** Longest silence between heartbeats of a started attempt (tasks only). */
  heartbeat?: Duration;
}

export interface TaskSpec {
  handler: HandlerName;
  /** Handler settings (url, method, flowId, source, agent...), a template. */
  config?: Record<string, Template>;
  input?: Template;
}

export interface CompensationDefinition extends TaskSpec {
  retry?: RetryPolicy;
  timeout?: StepTimeouts;
  queue?: string;
}

interface StepBase {
  id: string;
  description?: string;
  needs?: string[];
  join?: JoinPolicy;
  if?: Expression;
  retry?: RetryPolicy;
  timeout?: StepTimeouts;
  queue?: string;
  /** 0 (lowest) to 9 (highest), default 5. */
  priority?: number;
  compensate?: CompensationDefinition;
}

/**
 * At most `limit` task starts per `per` for each value of `key`, across every run, workflow and
 * executor (docs/adr/0123). Starts are spread evenly, one every `per / limit`; the excess waits.
 * `key` is JSONata over the step's scope (`input`, `steps`, `run`, and `item`/`index` in a map).
 */
export interface StepRateLimit {
  key: Expression;
  limit: number;
  per: Duration;
}

/**
 * At most `limit` task attempts of every step whose `key` comes to the same value run at once, across
 * workflows (docs/adr/0124); the others wait in FIFO order. `key` is JSONata over the step's scope.
 */
export interface StepConcurrency {
  key: Expression;
  limit: number;
}

export interface TaskStepDefinition extends StepBase, TaskSpec {
  type: 'task';
  rateLimit?: StepRateLimit;
  concurrency?: StepConcurrency;
}

export interface MapStepDefinition extends StepBase {
  type: 'map';
  /** Expression giving the array to fan out over. */
  items: Expression;
  /** Items in flight at once (default 10). */
  concurrency?: number;
  /** The task run once per item; its expressions also see `item` and `index`. */
  task: TaskSpec;
  /** Applies to every item's task. */
  rateLimit?: StepRateLimit;
  /**
   * A concurrency key for every item's task (docs/adr/0125): `concurrency` is the map's own number of
   * items in flight; this limit is shared with every step whose key comes to the same value.
   */
  concurrencyKey?: StepConcurrency;
}

export interface SwitchBranch {
  name: string;
  when: Expression;
  /** Steps that run only when this branch is taken (they implicitly need the switch). */
  steps: string[];
}

export interface SwitchStepDefinition extends StepBase {
  type: 'switch';
  branches: SwitchBranch[];
  /** Steps taken when no branch matches. */
  default?: string[];
}

export interface WaitStepDefinition extends StepBase {
  type: 'wait';
  duration?: Duration;
  /** An ISO-8601 instant, or `=expression` giving one. */
  until?: string;
}

export interface SignalStepDefinition extends StepBase {
  type: 'signal';
  signal: {
    name: string;
    timeout?: Duration;
    /** What a timeout does: fail the step (default) or skip it. */
    onTimeout?: 'fail' | 'skip';
  };
}

export interface SubworkflowStepDefinition extends StepBase {
  type: 'subworkflow';
  workflow: { name: string; version?: number };
  input?: Template;
}

export type StepDefinition =
  | TaskStepDefinition
  | MapStepDefinition
  | SwitchStepDefinition
  | WaitStepDefinition
  | SignalStepDefinition
  | SubworkflowStepDefinition;

export const CONCURRENCY_STRATEGIES = ['queue', 'cancelNewest', 'cancelInProgress'] as const;
export type ConcurrencyStrategy = (typeof CONCURRENCY_STRATEGIES)[number];

export interface WorkflowDefinition {
  name: string;
  version: number;
  description?: string;
  /** JSON Schema the run input must satisfy. */
  inputSchema?: Record<string, unknown>;
  /** Expression giving the run output (default: the outputs of the steps no other step needs). */
  output?: Expression;
  /** Run timeout. */
  timeout?: Duration;
  /**
   * At most `limit` runs of this workflow with the same `key` value hold a slot at once (enforced by the
   * scheduler, docs/adr/0120). `strategy` says what a start does when every slot is taken: `queue` (wait in
   * FIFO order, the default), `cancelNewest` (the new run is cancelled), `cancelInProgress` (the oldest run
   * holding a slot is cancelled and the new one takes its place).
   */
  concurrency?: { key: Expression; limit: number; strategy?: ConcurrencyStrategy };
  /**
   * A burst of starts with one key value becomes one run, with the last start's input, once no start
   * came for `period` (and at most `maxWait` after the burst's first start). docs/adr/0122.
   */
  debounce?: { key: Expression; period: Duration; maxWait?: Duration };
  /** At most `limit` starts per `period` per key value (one key for the workflow without `key`); the rest wait. */
  throttle?: { key?: Expression; limit: number; period: Duration };
  steps: StepDefinition[];
}
