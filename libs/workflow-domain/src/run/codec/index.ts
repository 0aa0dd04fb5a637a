export * from './schema-version';
export * from './upcasters';
export * from './decode-run-event';
