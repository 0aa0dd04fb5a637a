export * from './outbound-http';
export * from './source-of';
export * from './status-failure';
