export * from './http-setup';
export * from './path-params';
export * from './request-text.pipe';
export * from './validators';
export * from './allowed-methods';
export * from './console-static';
export * from './admission';
