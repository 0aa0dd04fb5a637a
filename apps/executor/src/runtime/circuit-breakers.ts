import CircuitBreaker from 'opossum';
import { TaskExecutionError } from '../handlers/task-execution-error';

export interface CircuitBreakerSettings {
  /** Failure percentage within the rolling window that opens a circuit. */
  errorThresholdPercentage: number;
  /** Calls within the window before the percentage is considered at all. */
  volumeThreshold: number;
  rollingCountTimeoutMs: number;
  /** How long a circuit stays open before one trial call is let through (half-open). */
  resetTimeoutMs: number;
}

export const DEFAULT_CIRCUIT_BREAKER_SETTINGS: CircuitBreakerSettings = {
  errorThresholdPercentage: 50,
  volumeThreshold: 5,
  rollingCountTimeoutMs: 10_000,
  resetTimeoutMs: 30_000,
};

/** Thrown inside a circuit to count the call as a failure while still carrying what it produced. */
export class CountedFailure<T> extends Error {
  constructor(readonly outcome: T) {
    super('counted as a circuit failure');
  }
}

type Call = () => Promise<unknown>;

/** While a half-open circuit's trial call is under way, others are refused: they retry after this. */
const HALF_OPEN_RETRY_AFTER_MS = 1_000;

/**
 * One opossum circuit per target host, so one failing server does not stop calls to the others.
 * Timeouts are ours (AbortSignal), not opossum's; calls ended by the task's own abort
 * (cancellation, its start-to-close timeout) are not the target's fault and do not count.
 */
export class CircuitBreakers {
  private readonly circuits = new Map<string, CircuitBreaker<[Call], unknown>>();
  private readonly openedAt = new Map<string, number>();

  constructor(private readonly settings: CircuitBreakerSettings = DEFAULT_CIRCUIT_BREAKER_SETTINGS) {}

  async run<T>(host: string, call: () => Promise<T>): Promise<T> {
    const circuit = this.circuitFor(host);
    try {
      return (await circuit.fire(call)) as T;
    } catch (error) {
      if (error instanceof CountedFailure) return error.outcome as T;
      if ((error as { code?: string }).code === 'EOPENBREAKER') {
        throw TaskExecutionError.retryable(
          'CIRCUIT_OPEN',
          `the circuit for ${host} is open after repeated failures`,
          { host },
          this.untilTrialMs(host),
        );
      }
      throw error;
    }
  }

  /**
   * How long until the circuit lets a trial call through: the rest of its open time, or, while a trial is
   * under way (half-open), a short while for its answer. A retry sooner than this is refused again.
   */
  untilTrialMs(host: string, now = Date.now()): number {
    const openedAt = this.openedAt.get(host);
    const rest = openedAt === undefined ? 0 : openedAt + this.settings.resetTimeoutMs - now;
    return rest > 0 ? rest : HALF_OPEN_RETRY_AFTER_MS;
  }

  state(host: string): 'closed' | 'open' | 'half_open' {
    const circuit = this.circuits.get(host);
    if (!circuit || circuit.closed) return 'closed';
    return circuit.halfOpen ? 'half_open' : 'open';
  }

  /** The hosts with a circuit, for the circuit-state metric. */
  hosts(): string[] {
    return [...this.circuits.keys()];
  }

  shutdown(): void {
    for (const circuit of this.circuits.values()) circuit.shutdown();
    this.circuits.clear();
    this.openedAt.clear();
  }

  private circuitFor(host: string) {
    let circuit = this.circuits.get(host);
    if (!circuit) {
      circuit = new CircuitBreaker<[Call], unknown>((call) => call(), {
        name: host,
        timeout: false,
        errorThresholdPercentage: this.settings.errorThresholdPercentage,
        volumeThreshold: this.settings.volumeThreshold,
        rollingCountTimeout: this.settings.rollingCountTimeoutMs,
        resetTimeout: this.settings.resetTimeoutMs,
        errorFilter: isAbortedByTheTask,
      });
      circuit.on('open', () => this.openedAt.set(host, Date.now()));
      this.circuits.set(host, circuit);
    }
    return circuit;
  }
}

/** The task runner aborts with a TaskExecutionError as the reason, and fetch rejects with the reason. */
function isAbortedByTheTask(error: unknown): boolean {
  return (
    error instanceof TaskExecutionError &&
    (error.classification === 'cancelled' || error.classification === 'timeout')
  );
}
