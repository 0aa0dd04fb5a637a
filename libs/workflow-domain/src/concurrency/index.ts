export * from './commands';
export * from './concurrency-decider';
export { decideConcurrency, waitingReason } from './decide';
export * from './events';
export { evolveConcurrency } from './evolve';
export * from './state';
