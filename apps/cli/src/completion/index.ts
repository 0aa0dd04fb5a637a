export * from './command';
export * from './scripts';
