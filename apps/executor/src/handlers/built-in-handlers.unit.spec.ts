import { BUILT_IN_HANDLERS } from '@spark/contracts';
import { EnvironmentSourceResolver } from '../sources';
import { CircuitBreakers, DEFAULT_CIRCUIT_BREAKER_SETTINGS } from '../runtime/circuit-breakers';
import { builtInHandlers } from './built-in-handlers';
import { HandlerRegistry } from './handler-registry';
import { OutboundHttp } from './outbound';

describe('the built-in handlers', () => {
  it('are exactly the handler registry, each under its own name', () => {
    const http = new OutboundHttp(new CircuitBreakers(DEFAULT_CIRCUIT_BREAKER_SETTINGS));
    const registry = new HandlerRegistry(builtInHandlers({ http, sources: new EnvironmentSourceResolver() }));
    expect(registry.names()).toEqual([...BUILT_IN_HANDLERS]);
  });
});
