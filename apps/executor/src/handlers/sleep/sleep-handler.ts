import type { TaskDispatch } from '@spark/contracts';
import { ConfigFields } from '../config-fields';
import type { TaskContext, TaskHandler } from '../task-handler';

/** Waits `config.durationMs`, heartbeating about once a second; ends early when the task is aborted. */
export class SleepHandler implements TaskHandler {
  readonly name = 'sleep';

  async execute(dispatch: TaskDispatch, context: TaskContext): Promise<{ sleptMs: number }> {
    const durationMs = new ConfigFields(this.name, dispatch.config).optionalNumber('durationMs') ?? 0;
    const startedAt = Date.now();
    await new Promise<void>((resolve, reject) => {
      if (context.signal.aborted) return reject(context.signal.reason as Error);
      const done = setTimeout(() => {
        cleanUp();
        resolve();
      }, durationMs);
      const progress = setInterval(() => context.heartbeat({ elapsedMs: Date.now() - startedAt }), 1000);
      const onAbort = () => {
        cleanUp();
        reject(context.signal.reason as Error);
      };
      context.signal.addEventListener('abort', onAbort, { once: true });
      function cleanUp() {
        clearTimeout(done);
        clearInterval(progress);
        context.signal.removeEventListener('abort', onAbort);
      }
    });
    return { sleptMs: Date.now() - startedAt };
  }
}
