export * from './problem';
export * from './api-keys';
export * from './runs';
export * from './sources';
export * from './triggers';
