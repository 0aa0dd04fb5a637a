export * from './http-handler';
export * from './status-rules';
