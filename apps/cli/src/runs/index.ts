export * from './commands';
export * from './timeline';
export * from './bulk';
