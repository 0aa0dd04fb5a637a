import { BUILT_IN_HANDLERS, type BuiltInHandler } from '@spark/contracts';
import type { SecretResolver } from '../secrets';
import type { SourceResolver } from '../sources';
import { AgentHandler } from './agent';
import { HttpHandler } from './http';
import { LangflowHandler } from './langflow';
import { NoopHandler } from './noop';
import type { OutboundHttp } from './outbound';
import { SleepHandler } from './sleep';
import type { TaskHandler } from './task-handler';
import { TransformHandler } from './transform';

/** What the built-in handlers are made with. */
export interface HandlerDependencies {
  http: OutboundHttp;
  sources: SourceResolver;
  secrets?: SecretResolver;
}

/**
 * One factory per name of the handler registry (`BUILT_IN_HANDLERS` in @spark/contracts): a name added
 * there does not compile until its handler is added here, and each handler must carry its name.
 */
const FACTORIES: { [Name in BuiltInHandler]: (deps: HandlerDependencies) => TaskHandler & { name: Name } } = {
  http: (deps) => new HttpHandler(deps.http, deps.secrets),
  langflow: (deps) => new LangflowHandler(deps.http, deps.sources),
  agent: (deps) => new AgentHandler(deps.http, deps.sources),
  transform: () => new TransformHandler(),
  sleep: () => new SleepHandler(),
  noop: () => new NoopHandler(),
};

export const builtInHandlers = (deps: HandlerDependencies): TaskHandler[] =>
  BUILT_IN_HANDLERS.map((name) => FACTORIES[name](deps));
