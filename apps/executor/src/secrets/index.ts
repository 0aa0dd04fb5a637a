export * from './secret-resolver';
