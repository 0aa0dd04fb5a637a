export * from './commands';
export { decideSchedule, scheduleIdempotencyKey } from './decide';
export * from './events';
export { evolveSchedule } from './evolve';
export * from './schedule-decider';
export * from './schedule-definition';
export * from './state';
