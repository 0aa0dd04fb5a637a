export * from './given-when-then';
export * from './run-harness';
