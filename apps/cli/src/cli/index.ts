export * from './context';
export * from './exit-codes';
export * from './inputs';
