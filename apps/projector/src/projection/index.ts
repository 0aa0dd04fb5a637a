export * from './batches';
export * from './projection-lag';
export * from './projection-runner';
export * from './projector-engine';
export * from './rebuild';
