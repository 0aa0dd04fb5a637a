export * from './secret-box';
export * from './executor-seal';
