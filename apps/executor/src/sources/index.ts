export * from './source-resolver';
export * from './environment-source-resolver';
