import type { TaskDispatch } from '@spark/contracts';
import type { TaskContext, TaskHandler } from '../task-handler';

/** Passes its input through as its output. */
export class NoopHandler implements TaskHandler {
  readonly name = 'noop';

  async execute(dispatch: TaskDispatch, _context: TaskContext): Promise<unknown> {
    return dispatch.input;
  }
}
