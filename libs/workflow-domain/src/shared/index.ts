export * from './decider';
export * from './hash';
