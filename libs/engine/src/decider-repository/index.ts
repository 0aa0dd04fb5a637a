export * from './decider-repository';
export * from './event-ids';
