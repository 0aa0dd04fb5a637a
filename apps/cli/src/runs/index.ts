export * from './commands';
export * from './timeline';
