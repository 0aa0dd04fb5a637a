export * from './defaults';
export * from './graph';
export * from './parse';
