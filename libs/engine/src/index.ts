export * from './decider-repository';
export * from './event-store-factory';
export * from './workflow-catalog';
export * from './schedule-repository';
