export * from './checks';
export * from './command';
