export * from './commands';
export * from './graph';
export * from './locate';
