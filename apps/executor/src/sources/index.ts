export * from './source-resolver';
export * from './environment-source-resolver';
export * from './registered-source-resolver';
