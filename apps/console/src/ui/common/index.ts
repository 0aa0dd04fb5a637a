export * from './format';
export * from './widgets';
export * from './error-boundary';
