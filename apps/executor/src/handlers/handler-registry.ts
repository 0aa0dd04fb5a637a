import type { TaskHandler } from './task-handler';

/** The built-in handlers by name (`http`, `langflow`, ...). */
export class HandlerRegistry {
  private readonly handlers = new Map<string, TaskHandler>();

  constructor(handlers: TaskHandler[] = []) {
    for (const handler of handlers) this.register(handler);
  }

  register(handler: TaskHandler): void {
    if (this.handlers.has(handler.name)) throw new Error(`handler "${handler.name}" is registered twice`);
    this.handlers.set(handler.name, handler);
  }

  find(name: string): TaskHandler | undefined {
    return this.handlers.get(name);
  }

  names(): string[] {
    return [...this.handlers.keys()];
  }
}
