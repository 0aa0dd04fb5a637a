export * from './jsonata-expression';
export * from './template';
