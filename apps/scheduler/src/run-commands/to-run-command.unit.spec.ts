import { type TaskFailed } from '@spark/contracts';
import { toRunCommand } from './to-run-command';

describe('toRunCommand for a failed task', () => {
  const failed = (error: Record<string, unknown>): TaskFailed =>
    ({
      version: 1,
      idempotencyKey: 'run-1:call:1',
      runId: 'run-1',
      stepId: 'call',
      attempt: 1,
      workerId: 'w',
      at: '2026-12-01T00:00:00.000Z',
      status: 'failed',
      error: { code: 'CIRCUIT_OPEN', message: 'open', classification: 'retryable', ...error },
    }) as TaskFailed;

  it("passes the worker's retry-after on", () => {
    expect(toRunCommand(failed({ retryAfterMs: 1500 }), 'now')).toMatchObject({
      type: 'RecordTaskFailed',
      data: { taskId: 'call', attempt: 1, retryable: true, retryAfterMs: 1500 },
    });
  });

  it.each([[-1], [Number.NaN], ['5'], [null]])('drops a retry-after of %p, which is no delay', (value) => {
    const command = toRunCommand(failed({ retryAfterMs: value }), 'now');
    expect(command.type === 'RecordTaskFailed' && 'retryAfterMs' in command.data).toBe(false);
  });
});
