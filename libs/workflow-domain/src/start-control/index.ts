export * from './commands';
export { decideStartControl } from './decide';
export * from './events';
export { evolveStartControl } from './evolve';
export * from './start-control-decider';
export * from './state';
