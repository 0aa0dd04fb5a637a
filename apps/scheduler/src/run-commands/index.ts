export * from './keyed-mutex';
export * from './run-command-processor';
export * from './to-run-command';
