export * from './registered-secret-resolver';
