export * from './format';
export * from './widgets';
