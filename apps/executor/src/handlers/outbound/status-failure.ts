import { DEFAULT_NON_RETRYABLE_STATUS, parseStatusRule } from '../http/status-rules';
import { TaskExecutionError } from '../task-execution-error';

const isNonRetryableByDefault = parseStatusRule(DEFAULT_NON_RETRYABLE_STATUS);

/** An unsuccessful answer of a LangFlow or agent server: 4xx (but 408/429) will not get better by retrying. */
export function statusFailure(status: number, message: string, body: unknown): TaskExecutionError {
  const details = { status, body };
  return isNonRetryableByDefault(status)
    ? TaskExecutionError.nonRetryable(`HTTP_${status}`, message, details)
    : TaskExecutionError.retryable(`HTTP_${status}`, message, details);
}

/** The text a chat-like step sends: `config.<field>` first, else the step's input (JSON unless a string). */
export function messageText(configured: string | undefined, input: unknown): string | undefined {
  if (configured !== undefined) return configured;
  if (typeof input === 'string') return input;
  if (input === undefined || input === null) return undefined;
  return JSON.stringify(input);
}
