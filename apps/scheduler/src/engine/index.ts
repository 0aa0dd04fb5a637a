export * from './scheduler-engine';
export * from './scheduler-settings';
