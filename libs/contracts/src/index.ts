export * from './topics';
export * from './health';
export * from './workflow';
export * from './tasks';
export * from './commands';
export * from './api';
export * from './public-events';
export * from './proto';
