export * from './outbound-http';
export * from './source-of';
export * from './status-failure';
export * from './retry-after';
